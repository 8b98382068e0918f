# Draftroom. `make run` serves the demo; `make test` runs every test.
GO      ?= go
BIN     := bin/draftroom
WEB     := client/web
OTJS    := server/ot/testdata
CONFORMANCE := e2e/conformance

.PHONY: run deps build web web-test test node-deps vet clean

## run: install what is missing (as root; otherwise say how), build the web
## client and the binary, then serve the demo on 127.0.0.1:8080 and print
## its join links, an admin's (the secretariat's desk) among them
run: deps build
	./$(BIN) serve --demo

## deps: PostgreSQL's server binaries, Node.js and npm (.ci/deps, shared with CI)
deps:
	@bash .ci/deps run

## build: the draftroom binary (with the web client if it has been built)
build: web
	$(GO) build -o $(BIN) ./server/cmd/draftroom

## web: build the browser client into client/web/dist (skipped until it exists)
web:
	@if [ -f $(WEB)/package.json ]; then \
		cd $(WEB) && npm ci --no-audit --no-fund && npm run build; \
	else echo "web: no client/web/package.json yet; the server will say how to build the client"; fi

## web-test: the web client's unit tests (state machine, offsets, brackets)
web-test: web
	cd $(WEB) && npm test

## node-deps: the npm packages tests need (ot-text-unicode for the differential test;
## ot-text-unicode and ws for the protocol conformance client in e2e)
node-deps:
	npm ci --no-audit --no-fund --prefix $(OTJS)
	npm ci --no-audit --no-fund --prefix $(CONFORMANCE)

## test: every test, with the race detector, against a real PostgreSQL,
## then the deployment files' checks
test: node-deps web-test vet
	$(GO) test -race -count=1 -timeout 40m ./...
	bash deploy/check.sh

## vet: gofmt, go vet and staticcheck (pinned in go.mod as a tool), with no
## findings, and no function over 80 lines in the room and the document model
vet:
	@unformatted=$$(gofmt -l server client schema e2e .ci); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...
	$(GO) run .ci/funclen.go -max 80 server/internal/room server/internal/document

clean:
	rm -rf bin $(WEB)/dist/assets $(WEB)/dist/index.html
