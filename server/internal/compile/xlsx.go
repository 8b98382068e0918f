package compile

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/draftroom/draftroom/server/internal/delegation"
)

const (
	// maxUnzipped bounds the decompressed size of a workbook, and
	// maxUnzippedPart that of any one part: an .xlsx is a zip archive, and
	// a few kilobytes of it can expand to gigabytes.
	maxUnzipped     = 100 << 20
	maxUnzippedPart = 20 << 20
	maxZipEntries   = 10000
	// maxSheetCells bounds the cells excelize lays out while reading rows:
	// it pads each row with empty cells up to its last one, so one cell in
	// column XFD on every row costs 16384 strings a row.
	maxSheetCells = 4 << 20
	// maxSheetText bounds the text of the sheet's cells once shared
	// strings are expanded: a cell may name a shared string by its index,
	// so one long string named by a thousand cells is a small file whose
	// text is a thousand times longer. The bound is the size of the
	// largest file accepted in text form.
	maxSheetText = MaxInputBytes
)

// readXLSX reads the first sheet of a workbook.
func readXLSX(data []byte, reg *delegation.Registry) (*Compilation, error) {
	if err := checkZip(data); err != nil {
		return nil, err
	}
	rows, err := sheetRows(data)
	if err != nil {
		return nil, err
	}
	return buildTable(rows, reg)
}

// checkZip vets the archive before excelize unpacks it, so that a bomb is
// refused from the sizes in its directory with a clear message. (archive/zip
// also fails a part that inflates past the size its directory declares.)
func checkZip(data []byte) error {
	if !bytes.HasPrefix(data, zipMagic) {
		if bytes.HasPrefix(data, oleMagic) {
			return inputErr(ErrMalformedXLSX, 0, "a legacy .xls or password-protected workbook; save it as .xlsx without a password")
		}
		return inputErr(ErrMalformedXLSX, 0, "not a zip archive")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return inputErr(ErrMalformedXLSX, 0, "%v", err)
	}
	if len(zr.File) > maxZipEntries {
		return inputErr(ErrTooLarge, 0, "the workbook has more than %d parts", maxZipEntries)
	}
	var total uint64
	workbook, word := false, false
	for _, f := range zr.File {
		if f.UncompressedSize64 > maxUnzippedPart {
			return inputErr(ErrTooLarge, 0, "part %s expands to %d bytes, over the %d MB limit", f.Name, f.UncompressedSize64, maxUnzippedPart>>20)
		}
		total += f.UncompressedSize64
		if total > maxUnzipped {
			return inputErr(ErrTooLarge, 0, "the workbook expands to more than %d MB", maxUnzipped>>20)
		}
		switch strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/")) {
		case "xl/workbook.xml":
			workbook = true
		case "word/document.xml":
			word = true
		}
	}
	switch {
	case word && !workbook:
		return inputErr(ErrMalformedXLSX, 0, "a Word document, not a workbook; save the table as .xlsx or .csv")
	case !workbook:
		return inputErr(ErrMalformedXLSX, 0, "no xl/workbook.xml: not an Excel workbook")
	}
	// excelize ignores read errors when it unpacks a part, so a part that
	// is corrupt (bad checksum) or longer than its directory says would be
	// read cut short, and part of the table silently lost. Reading every
	// part once here costs at most the bounded total above.
	for _, f := range zr.File {
		if err := checkPart(f); err != nil {
			return inputErr(ErrMalformedXLSX, 0, "part %s: %v", f.Name, err)
		}
	}
	return nil
}

func checkPart(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err
}

// sheetRows returns the non-empty rows of the first sheet.
func sheetRows(data []byte) (rows []tableRow, err error) {
	// excelize is a large parser of untrusted XML; a panic in it must not
	// take the server down with it.
	defer func() {
		if r := recover(); r != nil {
			rows, err = nil, inputErr(ErrMalformedXLSX, 0, "unreadable workbook: %v", r)
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    maxUnzipped,
		UnzipXMLSizeLimit: maxUnzippedPart,
		RawCellValue:      true,
	})
	if err != nil {
		return nil, inputErr(ErrMalformedXLSX, 0, "%v", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, inputErr(ErrMalformedXLSX, 0, "the workbook has no sheet")
	}
	it, err := f.Rows(sheets[0])
	if err != nil {
		return nil, inputErr(ErrMalformedXLSX, 0, "sheet %q: %v", sheets[0], err)
	}
	defer it.Close()
	cells, text := 0, 0
	for n := 1; it.Next(); n++ {
		cols, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, inputErr(ErrMalformedXLSX, n, "%v", err)
		}
		if cells += len(cols); cells > maxSheetCells {
			return nil, inputErr(ErrTooLarge, n, "the sheet has more than %d cells", maxSheetCells)
		}
		// Counted before anything copies the cells: the strings of one
		// shared entry are still one string in memory here.
		for _, c := range cols {
			text += len(c)
		}
		if text > maxSheetText {
			return nil, inputErr(ErrTooLarge, n, "the sheet's text expands to more than %d MB (cells that repeat a shared string count each time); nothing was imported", maxSheetText>>20)
		}
		r := tableRow{line: n, index: n, cells: trimCells(cols)}
		if len(r.cells) > maxColumns {
			return nil, inputErr(ErrTooLarge, n, "more than %d columns", maxColumns)
		}
		if !r.empty() {
			rows = append(rows, r)
		}
	}
	if err := it.Error(); err != nil {
		return nil, inputErr(ErrMalformedXLSX, 0, "%v", err)
	}
	if len(rows) == 0 {
		return nil, inputErr(ErrEmpty, 0, "the first sheet (%s) is empty", sheets[0])
	}
	return rows, nil
}
