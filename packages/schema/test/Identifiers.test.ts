import { Identifiers } from "@bevatel/schema"
import { assert, describe, it } from "@effect/vitest"
import { Either, ParseResult, Schema } from "effect"

const failureMessage = <A, I>(schema: Schema.Schema<A, I>, input: unknown) => {
  const result = Schema.decodeUnknownEither(schema)(input)
  assert.isTrue(Either.isLeft(result), `expected ${JSON.stringify(input)} to be rejected`)
  return Either.isLeft(result) ? ParseResult.TreeFormatter.formatErrorSync(result.left) : ""
}

describe("Identifiers", () => {
  it("rejects empty string identifiers with a message naming the identifier", () => {
    assert.include(failureMessage(Identifiers.InboxIdentifier, ""), "InboxIdentifier must not be empty")
    assert.include(failureMessage(Identifiers.SourceId, ""), "SourceId must not be empty")
    assert.include(failureMessage(Identifiers.PubsubToken, ""), "PubsubToken must not be empty")
  })

  it("rejects non-positive and fractional integer ids", () => {
    assert.include(failureMessage(Identifiers.ConversationId, 0), "ConversationId must be a positive integer")
    assert.include(failureMessage(Identifiers.MessageId, -3), "MessageId must be a positive integer")
    failureMessage(Identifiers.AccountId, 1.5)
  })

  it("accepts valid identifiers as branded values", () => {
    const inbox: Identifiers.InboxIdentifier = Identifiers.InboxIdentifier.make("Xk3jW9pQrT5vYb2nLm8cDf4h")
    const id: Identifiers.MessageId = Schema.decodeSync(Identifiers.MessageId)(17)
    assert.deepStrictEqual([inbox, id], ["Xk3jW9pQrT5vYb2nLm8cDf4h", 17])
  })

  it("accepts only 64 lowercase hex characters as an identifier hash", () => {
    const hash = "a".repeat(64)
    assert.strictEqual(Schema.decodeSync(Identifiers.IdentifierHash)(hash), hash)
    assert.include(failureMessage(Identifiers.IdentifierHash, "A".repeat(64)), "64 lowercase hex")
    failureMessage(Identifiers.IdentifierHash, "abc")
  })
})
