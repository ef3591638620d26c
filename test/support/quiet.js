// Before each test file's modules load: the functions log at LOG_LEVEL, SILENT unless the run asks for more
// (`LOG_LEVEL=INFO npm test`), so the report shows test results, not function logs.
process.env.LOG_LEVEL ??= 'SILENT';
