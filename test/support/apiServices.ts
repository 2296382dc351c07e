// Test backends: a complete ApiServices object built from the contract, every request handed
// to one function by its name (e.g. "alerts.list"), as a flat table of handlers is easiest to
// write in a test.
import { apiRequestSchemas, type ApiRequestName } from '../../shared/api';
import { forwardingService, type ApiServiceName, type ApiServices } from '../../shared/apiDispatch';

export function servicesFrom(handle: (name: ApiRequestName, args: unknown) => unknown): ApiServices {
  const names = new Set(Object.keys(apiRequestSchemas).map((n) => n.slice(0, n.indexOf('.')) as ApiServiceName));
  return Object.fromEntries(
    [...names].map((service) => [service, forwardingService(service, async (method, args) => handle(`${service}.${method}` as ApiRequestName, args))]),
  ) as unknown as ApiServices;
}
