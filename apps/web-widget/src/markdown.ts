/**
 * The markdown Chatwoot's widget renders in messages (its `MessageFormatter`: markdown-it without HTML, with line
 * breaks and linkified URLs): **bold**, *italics*, `code`, code blocks, links, lists and line breaks.
 *
 * Safe by construction: the result is built as DOM nodes and every piece of the message is set as text — no HTML
 * is ever parsed, so markup in a message stays visible text. A link is kept only when its URL is `http(s)`,
 * `mailto` or `tel` (anything else — `javascript:`, `data:`, relative — stays text), and it opens in a new tab with
 * `rel="noopener noreferrer nofollow"`.
 */

const allowedProtocols = new Set(["http:", "https:", "mailto:", "tel:"])
/** How deep emphasis may nest (markdown-it's `maxNesting` in Chatwoot is 20). */
const maxNesting = 20

/** The URL when it is safe to link to, else `undefined`. */
export const safeUrl = (raw: string): string | undefined => {
  try {
    const url = new URL(raw)
    return allowedProtocols.has(url.protocol) ? url.href : undefined
  } catch {
    return undefined
  }
}

const link = (document: Document, href: string, children: ReadonlyArray<Node>) => {
  const a = document.createElement("a")
  a.href = href
  a.target = "_blank"
  a.rel = "noopener noreferrer nofollow"
  a.className = "link"
  a.append(...children)
  return a
}

const autolink = /^(?:https?:\/\/|mailto:|tel:|www\.)[^\s<>"]*[^\s<>".,:;'")\]!?*_]/i
const markdownLink = /^\[([^\]\n]{0,500})\]\(\s*<?([^\s)>]{1,2000})>?\s*\)/

/** Inline markdown of one line (or one list item) as nodes. */
const inline = (document: Document, text: string, depth: number): Array<Node> => {
  const nodes: Array<Node> = []
  let plain = ""
  const flush = () => {
    if (plain !== "") nodes.push(document.createTextNode(plain))
    plain = ""
  }
  let i = 0
  while (i < text.length) {
    const rest = text.slice(i)
    const char = text[i]!
    if (char === "\\" && i + 1 < text.length && /[\\`*_[\]()#+\-.!~>]/.test(text[i + 1]!)) {
      plain += text[i + 1]
      i += 2
      continue
    }
    if (char === "`") {
      const end = text.indexOf("`", i + 1)
      if (end > i + 1) {
        flush()
        const code = document.createElement("code")
        code.textContent = text.slice(i + 1, end)
        nodes.push(code)
        i = end + 1
        continue
      }
    }
    if (depth < maxNesting && (rest.startsWith("**") || rest.startsWith("__"))) {
      const marker = rest.slice(0, 2)
      const end = text.indexOf(marker, i + 2)
      if (end > i + 2) {
        flush()
        const strong = document.createElement("strong")
        strong.append(...inline(document, text.slice(i + 2, end), depth + 1))
        nodes.push(strong)
        i = end + 2
        continue
      }
    }
    if (depth < maxNesting && (char === "*" || char === "_") && text[i + 1] !== char && text[i + 1] !== " ") {
      // `_` emphasises only at a word's edge (snake_case stays as it is), as in markdown-it.
      const atEdge = char === "*" || i === 0 || !/\w/.test(text[i - 1]!)
      const end = text.indexOf(char, i + 1)
      if (atEdge && end > i + 1 && text[end - 1] !== " " && (char === "*" || end + 1 >= text.length || !/\w/.test(text[end + 1]!))) {
        flush()
        const em = document.createElement("em")
        em.append(...inline(document, text.slice(i + 1, end), depth + 1))
        nodes.push(em)
        i = end + 1
        continue
      }
    }
    if (char === "[") {
      const match = markdownLink.exec(rest)
      const href = match ? safeUrl(match[2]!) : undefined
      if (match && href !== undefined) {
        flush()
        nodes.push(link(document, href, depth < maxNesting ? inline(document, match[1]!, depth + 1) : [document.createTextNode(match[1]!)]))
        i += match[0].length
        continue
      }
    }
    if ((i === 0 || /[\s(]/.test(text[i - 1]!)) && /[hmtwHMTW]/.test(char)) {
      const match = autolink.exec(rest)
      const href = match ? safeUrl(match[0].toLowerCase().startsWith("www.") ? `http://${match[0]}` : match[0]) : undefined
      if (match && href !== undefined) {
        flush()
        nodes.push(link(document, href, [document.createTextNode(match[0])]))
        i += match[0].length
        continue
      }
    }
    plain += char
    i += 1
  }
  flush()
  return nodes
}

const bullet = /^\s{0,3}[-*+]\s+(.*)$/
const numbered = /^\s{0,3}\d{1,9}[.)]\s+(.*)$/
const fence = /^\s{0,3}```/

/** The message as nodes: paragraphs (lines joined by line breaks), lists and code blocks. */
export const renderMarkdown = (document: Document, source: string): DocumentFragment => {
  const fragment = document.createDocumentFragment()
  const lines = source.replace(/\r\n?/g, "\n").split("\n")
  let i = 0
  while (i < lines.length) {
    const line = lines[i]!
    if (fence.test(line)) {
      const body: Array<string> = []
      i += 1
      while (i < lines.length && !fence.test(lines[i]!)) body.push(lines[i++]!)
      i += 1
      const pre = document.createElement("pre")
      const code = document.createElement("code")
      code.textContent = body.join("\n")
      pre.append(code)
      fragment.append(pre)
      continue
    }
    const list = bullet.test(line) ? bullet : numbered.test(line) ? numbered : undefined
    if (list !== undefined) {
      const element = document.createElement(list === bullet ? "ul" : "ol")
      while (i < lines.length && list.test(lines[i]!)) {
        const item = document.createElement("li")
        item.append(...inline(document, list.exec(lines[i]!)![1]!, 0))
        element.append(item)
        i += 1
      }
      fragment.append(element)
      continue
    }
    if (line.trim() === "") {
      i += 1
      continue
    }
    const paragraph = document.createElement("p")
    let first = true
    while (i < lines.length && lines[i]!.trim() !== "" && !fence.test(lines[i]!) && !bullet.test(lines[i]!) && !numbered.test(lines[i]!)) {
      if (!first) paragraph.append(document.createElement("br"))
      paragraph.append(...inline(document, lines[i]!, 0))
      first = false
      i += 1
    }
    fragment.append(paragraph)
  }
  return fragment
}
