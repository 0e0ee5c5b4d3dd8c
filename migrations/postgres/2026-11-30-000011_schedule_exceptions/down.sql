DROP TABLE schedule_exceptions;
