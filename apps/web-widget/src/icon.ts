/** The widget's icons: one 24×24 SVG path each, drawn by CSS, hidden from screen readers (their buttons are labelled). */

const svgNamespace = "http://www.w3.org/2000/svg"

/** An icon drawing `path`. */
export const icon = (path: string): SVGSVGElement => {
  const svg = document.createElementNS(svgNamespace, "svg")
  svg.setAttribute("viewBox", "0 0 24 24")
  svg.setAttribute("aria-hidden", "true")
  const line = document.createElementNS(svgNamespace, "path")
  line.setAttribute("d", path)
  svg.append(line)
  return svg
}
