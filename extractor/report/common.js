  // shared by the review page (report/template.html) and the review app (review/page.html), pasted into each
  // page's script by report/html.py: indexes over DATA, DOM helpers, the source text with figures marked
  const key = (doc, id) => doc + "\u0000" + id;
  const docs = new Map(DATA.documents.map(d => [d.doc_id, d]));
  const sections = new Map(DATA.sections.map(s => [key(s.doc_id, s.id), s]));
  const facts = new Map(DATA.facts.map(f => [key(f.doc_id, f.id), f]));
  const blocks = new Map(DATA.blocks.map(b => [key(b.doc_id, b.block), b]));
  const $ = id => document.getElementById(id);
  const distinct = values => [...new Set(values.filter(v => v !== null && v !== undefined))].sort();
  const docName = doc => doc.path.split(/[\\/]/).pop();

  // DOM helpers: text only ever goes in through textContent
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (name === "class") node.className = value;
      else if (name === "dataset") Object.assign(node.dataset, value);
      else node.setAttribute(name, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  // the block's text with the given [start, end) spans marked
  function highlighted(text, spans) {
    const out = el("span", {});
    let at = 0;
    for (const [start, end] of spans.slice().sort((a, b) => a[0] - b[0])) {
      if (start < at || end > text.length || start >= end) continue;
      out.append(text.slice(at, start), el("mark", {}, text.slice(start, end)));
      at = end;
    }
    out.append(text.slice(at));
    return out;
  }

  // a whole table the finding names no row of is long: folded, with its place as the summary
  function sourceBlock(block, spans) {
    const place = "第" + block.block + "块" + (block.page ? " · 第" + block.page + "页" : "") + (block.sheet ? " · 工作表 " + block.sheet : "");
    if (block.kind === "table" && !spans.length) {
      return el("details", { class: "source" }, el("summary", { class: "label" }, place + " · 表格全文"), block.text);
    }
    return el("div", { class: "source" }, el("span", { class: "label" }, place), highlighted(block.text, spans));
  }
