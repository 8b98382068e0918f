DROP TABLE versions;
DROP FUNCTION versions_immutable();
DROP TABLE ops;
