-- The schema registry keeps its artifacts in its own database; the services migrate theirs.
CREATE DATABASE apicurio;
