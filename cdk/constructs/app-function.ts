/**
 * AppFunction: the one way this service defines a Lambda function, so every
 * function shares the runtime, architecture, bundling, tracing and logging
 * defaults. `bindTable` is the one way a function gets the table, with exactly
 * the actions and indexes lib/functions.ts declares.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { TABLE_ACTIONS, type TableAccess } from '../../lib/functions.js';
import { SERVICE_NAME } from '../../lib/observability-names.js';
import { TABLE_NAME_ENV, type IndexName } from '../../lib/store/table.js';

/** The repository root: function entries (lib/functions.ts) are relative to it. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The latest Node.js runtime aws-cdk-lib knows (cdk-nag AwsSolutions-L1 asks for it). */
export const NODE_RUNTIME = Runtime.NODEJS_24_X;
/** esbuild target matching the runtime: nodejs24.x → node24. */
export const BUNDLING_TARGET = NODE_RUNTIME.name.replace(/^nodejs(\d+)\.x$/, 'node$1');

/**
 * esbuild emits ESM; some CommonJS dependencies still call `require` for
 * Node built-ins, which an ES module does not have.
 */
export const ESM_REQUIRE_BANNER = "import { createRequire } from 'module';const require = createRequire(import.meta.url);";

/** The esbuild settings every function is bundled with (the bench bundles with the same ones). */
export const BUNDLING = {
  target: BUNDLING_TARGET,
  // Prefer the ES module builds of dependencies: they tree-shake.
  mainFields: ['module', 'main'],
  minify: true,
  // The operations' documentation is for the OpenAPI document only: left out of every function (lib/contract/operation.ts).
  define: { CONTRACT_DOCS: 'false' },
};

export interface AppFunctionProps {
  /** Entry file relative to the project root, as in lib/functions.ts. */
  entry: string;
  description?: string;
  /** @default 10 s: above the 8 s the API allows a database call (SPEC §4), below API Gateway's 30 s. */
  timeout?: Duration;
  /** @default 1024 MB: more memory is more CPU, which shortens cold starts. */
  memorySize?: number;
  environment?: Record<string, string>;
  /** @default one month */
  logRetention?: RetentionDays;
  /** @default DESTROY: logs expire by retention; an orphaned log group only clutters. */
  logRemovalPolicy?: RemovalPolicy;
  /** A folder (relative to the project root) shipped next to the bundle under its own name, as lib/functions.ts says. */
  files?: string;
}

/** Shell-quoted for the bundling hook's `bash -c`. */
const quoted = (path: string) => `'${path.replace(/'/g, "'\\''")}'`;

export class AppFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    // Its own role, allowed to write to its own log group only (instead of the managed
    // AWSLambdaBasicExecutionRole, which allows every log group of the account).
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    super(scope, id, {
      entry: join(PROJECT_ROOT, props.entry),
      handler: 'handler',
      description: props.description,
      runtime: NODE_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        LOG_LEVEL: 'INFO',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        ...BUNDLING,
        banner: ESM_REQUIRE_BANNER,
        sourceMap: true,
        sourcesContent: false,
        // The SDK version the code was tested with ships in the bundle, the same locally and in AWS.
        bundleAwsSDK: true,
        logLevel: LogLevel.WARNING,
        ...(props.files ? { commandHooks: copyNextToBundle(props.files) } : {}),
      },
    });
  }
}

/** Bundling hooks that copy `folder` into the asset, beside index.mjs, where the code reads it (`new URL('./<name>/…', import.meta.url)`). */
function copyNextToBundle(folder: string) {
  const name = folder.split('/').filter(Boolean).at(-1)!;
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir: string, outputDir: string) => [`cp -R ${quoted(join(inputDir, folder))} ${quoted(join(outputDir, name))}`],
  };
}

/** The ARN of one of the table's global secondary indexes. */
export const indexArn = (table: ITable, index: IndexName) => `${table.tableArn}/index/${index}`;

/**
 * Lets a function do exactly what its entry in lib/functions.ts says with the
 * table, and tells it the table's name: one statement with the declared
 * actions on the table itself and, when it queries indexes, one with
 * `dynamodb:Query` on exactly those indexes (no `index/*`). A transaction
 * (TransactWriteItems) is authorized per item by that item's action
 * (PutItem, UpdateItem, DeleteItem, ConditionCheckItem), so it needs no action
 * of its own. Stream reads are granted by the stream event source, not here.
 */
export function bindTable(fn: IFunction & { addEnvironment(key: string, value: string): unknown }, table: ITable, access: TableAccess): void {
  if (access.actions.length === 0 && access.indexes.length === 0) {
    throw new Error(`${fn.node.path}: a table grant with no actions; leave \`table\` out instead`);
  }
  const unknown = access.actions.filter((action) => !(TABLE_ACTIONS as readonly string[]).includes(action));
  if (unknown.length > 0) throw new Error(`${fn.node.path}: unknown table actions ${unknown.join(', ')}`);
  if (access.actions.length > 0) {
    fn.addToRolePolicy(
      new PolicyStatement({ actions: [...new Set(access.actions)].map((action) => `dynamodb:${action}`), resources: [table.tableArn] }),
    );
  }
  if (access.indexes.length > 0) {
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:Query'], resources: [...new Set(access.indexes)].map((index) => indexArn(table, index)) }),
    );
  }
  fn.addEnvironment(TABLE_NAME_ENV, table.tableName);
}
