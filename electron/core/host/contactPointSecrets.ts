// The `contactPoints` service, on the host side that owns the secret store: the URL secrets
// of the running session's contact points (the routing it routes on: the rules file as it was
// last applied, not as it may have been edited on disk since). An operator sets, replaces or
// clears one from the console; the value goes to the store and nowhere else (not a log line,
// an error, an answer). The running session reads it at its next message
// (ContactPointUrls.resolve reads the store for every message), so nothing restarts.
import type { ApiService } from '../../../shared/apiDispatch';
import type { ContactPointSecretView } from '../../../shared/contactPointsApi';
import { secretEnvName, type ContactPoint, type RoutingConfig } from '../../../shared/notificationConfig';
import { ContactPointUrls, contactPointSecretKey } from '../notify/secretUrls';
import type { SecretStore } from '../secrets/secretStore';

type SecretContactPoint = ContactPoint & { type: 'webhook' | 'slack'; urlSecret: string };

export interface ContactPointSecretsOptions {
  secrets: SecretStore;
  /** The rules file the console's sessions read their routing from (it changes when the rule editor saves). */
  rulesFile: () => string | null;
  /**
   * The running session's routing (null: it has none), why its rules file's routing could not
   * be read when it was applied (null: it could, or there is no file), and why the routing of
   * the rules last saved could not be applied, the session keeping the one before (null: it was).
   */
  sessionRouting: () => { routing: RoutingConfig | null; loadError: string | null; reloadError: string | null };
  /** Where PAYOPS_SECRET_<NAME> is read (tests). */
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export function contactPointSecretsService(options: ContactPointSecretsOptions): ApiService<'contactPoints'> {
  const log = options.log ?? (() => undefined);
  const urls = () => new ContactPointUrls(options.secrets, options.env);

  const withSecrets = (r: RoutingConfig | null): SecretContactPoint[] =>
    (r?.contactPoints ?? []).filter((cp): cp is SecretContactPoint => cp.type !== 'desktop' && cp.urlSecret !== null);

  /** The contact point `name` of the routing, if it names a urlSecret; throws saying why not. */
  function secretOf(name: string): SecretContactPoint {
    const { routing: r, loadError } = options.sessionRouting();
    if (loadError !== null) throw new Error(`the rules file's routing cannot be read, so its contact points are unknown: ${loadError}`);
    const cp = withSecrets(r).find((c) => c.name === name);
    if (!cp) {
      const why = options.rulesFile() ? 'its rules file as last applied: an edit on disk applies once saved from the rule editor' : 'there is no rules file yet';
      throw new Error(`no contact point "${name}" with a urlSecret in the running session's routing (${why})`);
    }
    return cp;
  }

  async function view(cp: SecretContactPoint, from = urls()): Promise<ContactPointSecretView> {
    const state = await from.describe(cp.urlSecret);
    return { contactPoint: cp.name, type: cp.type, secret: cp.urlSecret, envVariable: secretEnvName(cp.urlSecret), ...state };
  }

  return {
    secrets: async () => {
      const { routing: r, loadError, reloadError } = options.sessionRouting();
      const from = urls();
      const contactPoints: ContactPointSecretView[] = [];
      for (const cp of withSecrets(r)) contactPoints.push(await view(cp, from));
      return { contactPoints, store: options.secrets.availability(), rulesFile: options.rulesFile(), loadError, reloadError };
    },
    setSecret: async ({ contactPoint, url }) => {
      const cp = secretOf(contactPoint);
      const store = options.secrets.availability();
      if (!store.available) throw new Error(`the URL of contact point "${cp.name}" was not saved: ${store.reason ?? 'the secret store is not available'}`);
      try {
        await options.secrets.set(contactPointSecretKey(cp.urlSecret), url);
      } catch (err) {
        // The store's errors name the file or the keychain, never the value.
        throw new Error(`the URL of contact point "${cp.name}" was not saved: ${(err as Error).message}`);
      }
      log(`contact point "${cp.name}": its URL (secret "${cp.urlSecret}") was set in the console`);
      return view(cp);
    },
    clearSecret: async ({ contactPoint }) => {
      const cp = secretOf(contactPoint);
      const cleared = await options.secrets.delete(contactPointSecretKey(cp.urlSecret));
      if (cleared) log(`contact point "${cp.name}": its URL (secret "${cp.urlSecret}") was cleared in the console`);
      return { cleared, contactPoint: await view(cp) };
    },
  };
}
