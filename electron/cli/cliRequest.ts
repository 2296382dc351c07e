// Command-line arguments are requests from outside the process too: a command that does what an
// API request does validates its flags with that request's schema from the contract, once,
// before it opens anything, and names the flag that is wrong.
import { apiRequestSchemas, type ApiArgs, type ApiParsedArgs, type ApiRequestName } from '../../shared/api';
import { CliError } from './cliErrors';

const kebab = (field: string) => `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** `flags` names the flag of each field whose flag is not simply its kebab-case name. */
export function cliRequest<K extends ApiRequestName>(name: K, args: ApiArgs<K>, flags: Record<string, string> = {}): ApiParsedArgs<K> {
  const parsed = apiRequestSchemas[name].safeParse(args);
  if (parsed.success) return parsed.data as ApiParsedArgs<K>;
  const issue = parsed.error.issues[0];
  const field = String(issue.path[0] ?? '');
  throw new CliError(`${flags[field] ?? kebab(field)}: ${issue.message}`);
}
