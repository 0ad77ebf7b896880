import { migrationsAnalyzer } from '../../core/migrations';
import { execute, type CliIO, type CliRequest } from '../execute';

/** `codenav migrations` alone: the migration analyzer and nothing else, for a fast start in CI. */
export function run(req: CliRequest, io: CliIO): Promise<number> {
  return execute(req, io, { analyzers: [migrationsAnalyzer] });
}
