// Imported first by a test file about the functions' logs: they log at INFO there, whatever the run's LOG_LEVEL
// (the level is read when the logger is made; Powertools sets it back to that one at every invocation).
process.env.LOG_LEVEL = 'INFO';
