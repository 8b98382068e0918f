DROP TABLE notes;
DROP TABLE proposals;
DROP TABLE paragraphs;
DROP TABLE sections;
DROP TABLE document_proposers;
DROP TABLE documents;
DROP TABLE delegations;
