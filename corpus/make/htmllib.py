"""Render a `model.Report` as a page saved from a government web site: doctype, UTF-8
meta, site header and navigation, breadcrumbs, <script>/<style>, the article nested in
divs inside a layout <table>, each paragraph a <p>, tables with rowspan/colspan, and a
footer with copyright/ICP lines.  Headings are typed text with their clean labels."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from model import Heading, PageBreak, Para, Report, TableBlock, heading_line
from tablemodel import Grid


@dataclass
class Site:
    name: str  # 赫山区人民政府门户网站
    nav: list[str]
    crumbs: list[str]
    article_title: str
    published: str  # 2025-04-18 10:21
    source: str  # 来源
    footer: list[str] = field(default_factory=list)
    script_var: str = "site"


STYLE = """
body{margin:0;font-family:"Microsoft YaHei",SimSun,sans-serif;font-size:14px;color:#333;background:#f3f3f3}
.top{background:#b4171c;color:#fff;height:36px;line-height:36px;padding:0 20px}
.nav ul{list-style:none;margin:0;padding:0;background:#c8282d}
.nav li{display:inline-block;padding:0 22px;line-height:44px}
.nav a{color:#fff;text-decoration:none}
.crumb{width:1100px;margin:12px auto;color:#666}
.main{width:1100px;margin:0 auto;background:#fff}
.article h1{font-size:24px;text-align:center;color:#b4171c;padding-top:30px}
.info{text-align:center;color:#999;border-bottom:1px dashed #ccc;padding-bottom:10px}
.TRS_Editor p{font-size:16px;line-height:2;margin:0}
.TRS_Editor table{border-collapse:collapse;margin:0 auto}
.TRS_Editor td{border:1px solid #000;padding:2px 4px;font-size:12px}
.footer{background:#333;color:#ccc;text-align:center;line-height:26px;padding:16px 0;font-size:12px}
"""

SCRIPT = """
var %(var)s = {fontSize: 16};
function doZoom(size) {
  var el = document.getElementById('zoom');
  if (el) { el.style.fontSize = size + 'px'; %(var)s.fontSize = size; }
}
function doPrint() { window.print(); }
document.addEventListener('DOMContentLoaded', function () {
  var n = document.getElementById('visits');
  if (n) { n.innerHTML = '访问量：' + (1000 + Math.floor(Math.random() * 500)); }
});
"""


def p_html(p: Para) -> str:
    style = []
    if p.align == "center":
        style.append("text-align:center")
    elif p.align == "right":
        style.append("text-align:right")
    elif p.indent:
        style.append("text-indent:2em")
    text = (p.list_label or "") + p.text
    if p.bookmark:
        off = p.bookmark[0] + len(p.list_label or "")
        inner = escape(text[:off]) + f'<a name="{p.bookmark[1]}"></a>' + escape(text[off:])
    else:
        inner = escape(text) if text else "<br/>"
    if p.bold:
        inner = f"<strong>{inner}</strong>"
    if p.font:
        inner = f'<span style="font-family:{p.font}">{inner}</span>'
    attr = f' style="{";".join(style)}"' if style else ""
    return f"<p{attr}>{inner}</p>"


def heading_html(h: Heading) -> str:
    font = ("黑体", "楷体_GB2312", "仿宋_GB2312", "仿宋_GB2312")[h.level]
    title = escape(h.label + h.text)
    run_in = escape(h.run_in)
    return (f'<p style="text-indent:2em"><span style="font-family:{font}"><strong>{title}</strong></span>'
            f"{run_in}</p>")


def table_html(grid: Grid) -> str:
    placed, _ = grid.layout()
    by_row: dict[int, list] = {}
    for p in placed:
        by_row.setdefault(p.row, []).append(p)
    out = ['<table border="1" cellspacing="0" cellpadding="0" width="100%" style="border-collapse:collapse">', "<tbody>"]
    for r in range(grid.n_rows):
        cells = []
        for p in by_row.get(r, []):
            attrs = ""
            if p.cell.rs > 1:
                attrs += f' rowspan="{p.cell.rs}"'
            if p.cell.cs > 1:
                attrs += f' colspan="{p.cell.cs}"'
            if p.cell.align != "center":
                attrs += f' style="text-align:{p.cell.align}"'
            else:
                attrs += ' align="center"'
            text = "<br/>".join(escape(t) for t in p.cell.text.split("\n"))
            if p.cell.bold:
                text = f"<b>{text}</b>"
            cells.append(f'<td valign="middle"{attrs}>{text}</td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def body_html(report: Report) -> str:
    parts = []
    for b in report.blocks:
        if isinstance(b, Heading):
            parts.append(heading_html(b))
        elif isinstance(b, Para):
            parts.append(p_html(b))
        elif isinstance(b, TableBlock):
            parts.append(table_html(b.grid))
        elif isinstance(b, PageBreak):
            parts.append('<div style="page-break-after:always"></div>')
    return "\n".join(parts)


def render(report: Report, site: Site) -> str:
    nav = "".join(f'<li><a href="javascript:void(0)">{escape(n)}</a></li>' for n in site.nav)
    crumbs = " &gt; ".join(f'<a href="javascript:void(0)">{escape(c)}</a>' for c in site.crumbs)
    footer = "\n".join(f"<p>{escape(line)}</p>" for line in site.footer)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="ArticleTitle" content="{escape(site.article_title)}">
<meta name="PubDate" content="{escape(site.published)}">
<meta name="ContentSource" content="{escape(site.source)}">
<title>{escape(site.article_title)}-{escape(site.name)}</title>
<style type="text/css">{STYLE}</style>
<script type="text/javascript">{SCRIPT % {"var": site.script_var}}</script>
</head>
<body>
<div class="top">欢迎访问{escape(site.name)}　<span id="visits"></span></div>
<div class="header"><div class="logo"><a href="javascript:void(0)">{escape(site.name)}</a></div>
<div class="nav"><ul>{nav}</ul></div></div>
<div class="crumb">您当前的位置：{crumbs}</div>
<table class="layout" width="1100" align="center" cellpadding="0" cellspacing="0" border="0">
<tr>
<td class="main" valign="top">
<div class="article">
<h1>{escape(site.article_title)}</h1>
<div class="info">发布时间：{escape(site.published)}　来源：{escape(site.source)}　字号：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>　<a href="javascript:doPrint()">打印</a></div>
<div class="content" id="zoom">
<div class="TRS_Editor">
{body_html(report)}
</div>
</div>
</div>
</td>
</tr>
</table>
<div class="footer">
{footer}
</div>
<script type="text/javascript">
(function () {{ var s = document.createElement('script'); s.src = '/stat/count.js'; document.body.appendChild(s); }})();
</script>
</body>
</html>
"""
