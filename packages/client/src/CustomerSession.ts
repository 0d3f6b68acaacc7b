/**
 * The visit flow every chat UI needs: restore the stored customer, create it again if the server forgot it, and
 * identify it with a signed identifier when one is given.
 *
 * @since 0.1.0
 */
import { ClientApi } from "@bevatel/http"
import type { ClientApiError } from "@bevatel/http"
import { CustomerStore, type IdentityError, IdentitySigner } from "@bevatel/identity"
import type { Contact, Identifiers, Requests } from "@bevatel/schema"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"

/**
 * The identity of a logged-in user of yours. The hash comes from your server (see `IdentitySigner`): pass it as a
 * value, or as an effect that fetches it (e.g. from your backend) only when needed.
 *
 * @since 0.1.0
 * @category models
 */
export interface Identity<E = never, R = never> {
  readonly identifier: string
  readonly identifierHash: Identifiers.IdentifierHash | Effect.Effect<Identifiers.IdentifierHash, E, R>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Options<E = never, R = never> {
  readonly identity?: Identity<E, R> | undefined
  /** Used when the contact is created. */
  readonly contact?: Omit<Requests.CreateContactRequest, "source_id" | "identifier" | "identifier_hash"> | undefined
}

/**
 * The customer for this visit, and how it was obtained.
 *
 * @since 0.1.0
 * @category models
 */
export interface Customer {
  readonly session: Contact.ContactSession
  readonly stored: CustomerStore.StoredCustomer
  /** `restored`: the stored session still exists; `created`: a new session (none stored, forgotten, or another user). */
  readonly origin: "restored" | "created"
}

/**
 * Restores or creates the customer of the `ClientApi`'s inbox and stores it.
 *
 * **Details**
 * 1. A stored customer of the same identifier (or of none, when no identity is given) is read back with GET,
 *    which also marks an identified session verified on the server.
 * 2. If none is stored, the server answers 404 (it forgot the session), or another user logged in, a new session
 *    is created — identified with `identifier` + `identifier_hash` when given, then read back with the hash,
 *    since the server only marks a session verified on GET.
 * 3. The result is stored, keeping the stored conversation id when the session was restored.
 *
 * @example
 * ```ts
 * import { CustomerSession } from "@bevatel/client"
 * import { Effect } from "effect"
 *
 * // Needs ClientApi and CustomerStore in context.
 * const customer = Effect.map(CustomerSession.restoreOrCreate({ contact: { name: "Ada" } }), ({ session }) => session.source_id)
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const restoreOrCreate = <E = never, R = never>(
  options: Options<E, R> = {}
): Effect.Effect<Customer, ClientApiError.ClientApiError | IdentityError.CustomerStoreError | E, ClientApi.ClientApi | CustomerStore.CustomerStore | R> =>
  Effect.gen(function*() {
    const api = yield* ClientApi.ClientApi
    const store = yield* CustomerStore.CustomerStore
    const identity = options.identity
    const hash = identity === undefined
      ? undefined
      : yield* Effect.cached(Effect.isEffect(identity.identifierHash) ? identity.identifierHash : Effect.succeed(identity.identifierHash))
    const identityParams: Effect.Effect<Requests.GetContactParams, E, R> = identity === undefined || hash === undefined
      ? Effect.succeed({})
      : Effect.map(hash, (identifier_hash) => ({ identifier: identity.identifier, identifier_hash }))

    const previous = yield* store.get(api.inboxIdentifier)
    const reusable = Option.filter(previous, (stored) => stored.identifier === identity?.identifier)

    const restored = yield* Option.match(reusable, {
      onNone: () => Effect.succeed(Option.none<Contact.ContactSession>()),
      onSome: (stored) =>
        identityParams.pipe(
          Effect.flatMap((params) => api.contacts.get(stored.source_id, params)),
          Effect.map(Option.some),
          Effect.catchTag("NotFound", () =>
            Effect.as(Effect.logInfo("CustomerSession: the server forgot the stored customer; creating it again"), Option.none()))
        )
    })

    const session = Option.isSome(restored) ? restored.value : yield* Effect.gen(function*() {
      const params = yield* identityParams
      const created = yield* api.contacts.create({ ...options.contact, ...params })
      // Creating never marks the session verified on the server; reading it with the hash does.
      return identity === undefined ? created : yield* api.contacts.get(created.source_id, params)
    })

    const stored: CustomerStore.StoredCustomer = {
      inbox_identifier: api.inboxIdentifier,
      source_id: session.source_id,
      pubsub_token: session.pubsub_token,
      ...(identity === undefined ? {} : { identifier: identity.identifier }),
      ...(Option.isSome(restored) && Option.isSome(reusable) && reusable.value.conversation_id !== undefined
        ? { conversation_id: reusable.value.conversation_id }
        : {})
    }
    yield* store.set(stored)
    return { session, stored, origin: Option.isSome(restored) ? "restored" as const : "created" as const }
  }).pipe(Effect.withSpan("CustomerSession.restoreOrCreate"))

/**
 * A new contact for one of your users, on a server that speaks for many (a bridge): `identifier` (and `name`, unless
 * given) set to your id, signed with the `IdentitySigner` in context when there is one — then read back with its
 * hash, which is what marks the session verified on the server.
 *
 * @example
 * ```ts
 * import { CustomerSession } from "@bevatel/client"
 *
 * // On your server, for a user your own sign-in authenticated; signed by the IdentitySigner in context.
 * const contact = CustomerSession.createIdentified("user-42", { name: "Ada" })
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const createIdentified = (
  identifier: string,
  contact: Omit<Requests.CreateContactRequest, "source_id" | "identifier" | "identifier_hash"> = {}
): Effect.Effect<Contact.ContactSession, ClientApiError.ClientApiError | IdentityError.SigningFailed, ClientApi.ClientApi> =>
  Effect.gen(function*() {
    const api = yield* ClientApi.ClientApi
    const signer = yield* Effect.serviceOption(IdentitySigner.IdentitySigner)
    const signed = Option.isSome(signer) ? Option.some(yield* signer.value.sign(identifier)) : Option.none()
    const created = yield* api.contacts.create({
      name: identifier,
      ...contact,
      identifier,
      ...(Option.isSome(signed) ? { identifier_hash: signed.value.identifier_hash } : {})
    })
    return Option.isSome(signed) ? yield* api.contacts.get(created.source_id, signed.value) : created
  }).pipe(Effect.withSpan("CustomerSession.createIdentified"))
