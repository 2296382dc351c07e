// The API contract seen as services: every request name is "<service>.<method>", so the
// contract in api.ts is also the dispatch table. Hosts (Electron IPC, the web host) call
// dispatchApiRequest, which validates once, at the trust boundary, and hands the service a
// typed, parsed argument; nothing past it casts or re-validates.
import { apiRequestSchemas, parseApiRequest, type ApiParsedArgs, type ApiRequestName, type ApiResults } from './api';

type ServiceOf<N> = N extends `${infer S}.${string}` ? S : never;
type MethodOf<N, S extends string> = N extends `${S}.${infer M}` ? M : never;

export type ApiServiceName = ServiceOf<ApiRequestName>;
export type ApiMethodName<S extends ApiServiceName> = MethodOf<ApiRequestName, S>;
type RequestName<S extends ApiServiceName, M extends string> = `${S}.${M}` & ApiRequestName;

/** One service of the contract: a method per request, taking the parsed arguments. */
export type ApiService<S extends ApiServiceName> = {
  [M in ApiMethodName<S>]: (args: ApiParsedArgs<RequestName<S, M>>) => Promise<ApiResults[RequestName<S, M>]> | ApiResults[RequestName<S, M>];
};

/** Every service of the contract: what an engine backend gives its hosts. */
export type ApiServices = { [S in ApiServiceName]: ApiService<S> };

/** The method names of `service`, read from the contract. */
export function apiMethodsOf<S extends ApiServiceName>(service: S): ApiMethodName<S>[] {
  const prefix = `${service}.`;
  return Object.keys(apiRequestSchemas)
    .filter((name) => name.startsWith(prefix))
    .map((name) => name.slice(prefix.length) as ApiMethodName<S>);
}

/**
 * A service whose every method (as the contract lists them) forwards to `call`: how a host
 * hands requests to the engine thread without a hand-written list of names.
 */
export function forwardingService<S extends ApiServiceName>(service: S, call: (method: ApiMethodName<S>, args: unknown) => Promise<unknown>): ApiService<S> {
  return Object.fromEntries(apiMethodsOf(service).map((method) => [method, (args: unknown) => call(method, args)])) as ApiService<S>;
}

/** Validates a request from outside the process and runs it; the error names the field. */
export async function dispatchApiRequest(services: ApiServices, name: unknown, args: unknown): Promise<unknown> {
  const request = parseApiRequest(name as string, args);
  const dot = request.name.indexOf('.');
  const service = services[request.name.slice(0, dot) as ApiServiceName] as unknown as Record<string, (a: unknown) => unknown>;
  return service[request.name.slice(dot + 1)](request.args);
}
