import { golden } from "@bevatel/golden"
import { assert, describe, it } from "@effect/vitest"
import { onFrame } from "../examples/on-frame.js"

describe("the README's example", () => {
  it("reads an agent's reply off a golden frame, and nothing off a typing frame", () => {
    assert.match(onFrame(JSON.stringify(golden("cable.message.created.agent-reply.json"))) ?? "", /^agent: /)
    assert.isUndefined(onFrame(JSON.stringify(golden("cable.conversation.typing_on.agent.json"))))
    assert.isUndefined(onFrame(JSON.stringify({ type: "welcome" })))
  })
})
