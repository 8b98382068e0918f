DROP TABLE tokens;
DROP TABLE participants;
