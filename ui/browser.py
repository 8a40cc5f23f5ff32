"""What only a browser can do for the page: ``<html lang>`` and ``dir``, keyboard focus, unsaved-text guard.

Streamlit leaves ``<html lang="en">`` whatever the app's language, and screen readers choose their voice
from it; its radios and checkboxes show almost no keyboard focus; Streamlit's own few words (a picker's
"No results", the uploader's "Browse files") are English; and a text box sends its text only
when the field is left or Enter is pressed, so a reload while typing would lose the text silently. One
small script and one style sheet, added once per run, fix the four in the reader's language.
"""

from __future__ import annotations

import json
import re

import streamlit as st

from formatting.scripts import text_direction
from questionnaires.messages import t
from ui.fonts import font_css

# Focus ring: the app's primary colour #0072B2 is 5.1:1 against white (WCAG 2.2 asks 3:1 for focus).
_STYLE = """
<style>
[data-testid="stRadio"] label:has(input:focus-visible),
[data-testid="stCheckbox"] label:has(input:focus-visible),
[data-testid="stToggle"] label:has(input:focus-visible),
[data-testid="stButtonGroup"] button:focus-visible {
  outline: 3px solid #0072B2; outline-offset: 2px; border-radius: 4px;
}
[data-iotready-unsaved] { outline: 3px solid #D55E00; outline-offset: 2px; border-radius: 6px; }
#iotready-unsaved {
  position: fixed; left: 50%; bottom: 1rem; transform: translateX(-50%); z-index: 1000010;
  max-width: min(40rem, calc(100vw - 2rem)); padding: .6rem 1rem; border-radius: .5rem;
  background: #FFF4E5; color: #5C2E00; border: 2px solid #D55E00; font-size: .95rem;
  box-shadow: 0 2px 8px rgba(0, 0, 0, .2);
}
#iotready-unsaved[hidden] { display: none; }
/* The language links (ui.nav.language_links): one line that wraps, the reader's language in bold. */
.iot-languages ul { list-style: none; margin: 0 !important; padding: 0 !important; display: flex; flex-wrap: wrap;
  gap: .15rem 1rem; }
.iot-languages li { margin: 0 !important; padding: 0 !important; }
.iot-languages a { color: inherit; }
.iot-languages a[aria-current] { font-weight: 700; text-decoration: none; }
.iot-languages a:focus-visible { outline: 3px solid #0072B2; outline-offset: 2px; border-radius: 4px; }
/* Streamlit's own "Press Enter to apply" is English only; the orange frame and banner say it instead. */
[data-testid="InputInstructions"] { display: none; }
</style>
"""

# Right to left (Arabic, issue 24): <html dir="rtl"> mirrors the flex layout (the sidebar moves to the right);
# Streamlit writes text-align: left on its text, so the text is turned right here; charts, code, numbers typed
# and addresses keep reading left to right. The script puts these rules in the document's head: a style sheet
# given to st.html does not reach the page's own elements.
RTL_CSS = """
html[dir="rtl"] body { direction: rtl; }
html[dir="rtl"] [data-testid="stMain"] *, html[dir="rtl"] [data-testid="stSidebar"] * { text-align: right; }
html[dir="rtl"] [data-testid="stPlotlyChart"], html[dir="rtl"] [data-testid="stCode"],
html[dir="rtl"] [data-testid="stNumberInput"] input, html[dir="rtl"] input[type="url"] { direction: ltr; }
html[dir="rtl"] #iotready-unsaved { left: auto; right: 50%; transform: translateX(50%); }
html[dir="rtl"] [data-testid="stProgress"] [role="progressbar"] { transform: scaleX(-1); }
"""

# Text typed but not yet sent (Streamlit sends it on blur or Enter; Ctrl+Enter in a text area): the field
# gets an orange ring, a banner says how to save it, and leaving or reloading the page asks first.
_SCRIPT = """
<script>
(() => {
  document.documentElement.lang = %(lang)s;
  document.documentElement.dir = %(dir)s;
  let dirStyle = document.getElementById("iotready-dir");
  if (!dirStyle) {
    dirStyle = document.createElement("style");
    dirStyle.id = "iotready-dir";
    document.head.appendChild(dirStyle);
  }
  dirStyle.textContent = %(dir_css)s;
  // Chinese only: the vendored Noto Sans SC as more faces of Streamlit's font (ui/fonts.py); empty otherwise.
  let fontStyle = document.getElementById("iotready-font");
  if (!fontStyle) {
    fontStyle = document.createElement("style");
    fontStyle.id = "iotready-font";
    document.head.appendChild(fontStyle);
  }
  const fontCss = %(font_css)s;
  if (fontStyle.textContent !== fontCss) fontStyle.textContent = fontCss;  // unchanged: no reload of the font
  %(remember)s
  const g = (window.__iotreadyUnsaved = window.__iotreadyUnsaved || { dirty: new Set() });
  g.message = %(message)s;
  const FIELDS = "[data-testid='stTextInput'] input, [data-testid='stTextArea'] textarea";
  const box = (el) => el.closest("[data-testid='stTextInput'], [data-testid='stTextArea']");
  g.refresh = () => {
    let banner = document.getElementById("iotready-unsaved");
    if (!banner) {
      banner = document.createElement("div");
      banner.id = "iotready-unsaved";
      banner.setAttribute("role", "status");
      banner.hidden = true;
      document.body.appendChild(banner);
    }
    for (const el of [...g.dirty]) if (!el.isConnected) g.dirty.delete(el);
    banner.textContent = g.message;
    banner.hidden = g.dirty.size === 0;
    document.querySelectorAll("[data-iotready-unsaved]").forEach((b) => {
      if (![...g.dirty].some((el) => box(el) === b)) b.removeAttribute("data-iotready-unsaved");
    });
    g.dirty.forEach((el) => box(el) && box(el).setAttribute("data-iotready-unsaved", ""));
  };
  // Streamlit's own words (picker and uploader), in the reader's language.
  g.words = %(words)s;
  g.patterns = %(patterns)s;
  g.labelPrefixes = %(prefixes)s;
  const translate = (node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const text = node.nodeValue.trim();
      for (const [en, other] of g.words) {
        if (text === en) { node.nodeValue = node.nodeValue.replace(en, other); return; }
        if (en.startsWith(" ") && text.includes(en)) node.nodeValue = node.nodeValue.replace(en, other);
      }
      for (const [pattern, other] of g.patterns) {
        const re = new RegExp(pattern);
        if (re.test(node.nodeValue)) node.nodeValue = node.nodeValue.replace(re, other);
      }
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) translate(n);
    node.querySelectorAll("input[placeholder]").forEach((el) => {
      const hit = g.words.find(([en]) => en === el.placeholder);
      if (hit) el.placeholder = hit[1];
    });
    const labelled = node.matches && node.matches("[aria-label]") ? [node] : [];
    labelled.concat([...node.querySelectorAll("[aria-label]")]).forEach((el) => {
      const label = el.getAttribute("aria-label");
      const hit = g.words.find(([en]) => en === label);
      if (hit) { el.setAttribute("aria-label", hit[1]); return; }
      // Labels Streamlit builds around ours: "Help for" and "Download as CSV:" followed by our label.
      for (const [en, other] of g.labelPrefixes) {
        if (label.startsWith(en)) { el.setAttribute("aria-label", other + label.slice(en.length)); return; }
      }
    });
  };
  if (g.words.length || g.patterns.length) translate(document.body);
  if (!g.installed) {
    g.installed = true;
    new MutationObserver((changes) => {
      if (!g.words.length && !g.patterns.length) return;
      for (const c of changes) {
        if (c.type === "characterData" || c.type === "attributes") translate(c.target);
        c.addedNodes.forEach(translate);
      }
    }).observe(document.body, {
      childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ["aria-label"],
    });
    const clean = (el) => { if (g.dirty.delete(el)) g.refresh(); };
    document.addEventListener("input", (e) => {
      if (e.target.matches && e.target.matches(FIELDS)) { g.dirty.add(e.target); g.refresh(); }
    }, true);
    document.addEventListener("focusout", (e) => {
      if (e.target.matches && e.target.matches(FIELDS)) clean(e.target);
    }, true);
    document.addEventListener("keydown", (e) => {
      const el = e.target;
      if (e.key !== "Enter" || !el.matches || !el.matches(FIELDS)) return;
      if (el.tagName === "INPUT" || e.ctrlKey || e.metaKey) clean(el);
    }, true);
    // A language link (ui.nav.language_links) reruns this page in the same session with lang= changed, as the
    // browser's Back button does: Streamlit reruns the page the address names, with its query string, on
    // "popstate". The session is kept (answers, the assessment open, the page's choices). A modified click opens
    // a new tab.
    const langHref = (a) => {
      const url = new URL(location.href);
      url.searchParams.set("lang", a.dataset.iotreadyLang);
      return url;
    };
    const langLink = (e) => e.target.closest && e.target.closest("a[data-iotready-lang]");
    const freshen = (e) => { const a = langLink(e); if (a) a.href = langHref(a).href; };
    document.addEventListener("focusin", freshen, true);
    document.addEventListener("pointerover", freshen, true);
    document.addEventListener("click", (e) => {
      const a = langLink(e);
      if (!a || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      const url = langHref(a);
      if (url.href === location.href) return;
      // Text being typed was sent when the link took the focus: let that run (and its save) end first, since the
      // page's rerun sends no value of the page's own widgets.
      const app = () => document.querySelector("[data-testid='stApp']");
      const go = (tries) => {
        const busy = app() && app().getAttribute("data-test-script-state") !== "notRunning";
        if (busy && tries > 0) { setTimeout(() => go(tries - 1), 100); return; }
        history.pushState(null, "", url);
        window.dispatchEvent(new PopStateEvent("popstate"));
      };
      setTimeout(() => go(100), 50);
    }, true);
    // Typed text not sent yet, or a change the database did not take (the page marks it): ask first.
    window.addEventListener("beforeunload", (e) => {
      const failed = document.querySelector("[class*='st-key-iotready-failed-']");
      if (failed || [...g.dirty].some((el) => el.isConnected)) { e.preventDefault(); e.returnValue = ""; }
    });
  }
  g.refresh();
})();
</script>
"""


# Streamlit's built-in English words a reader meets (selectbox, multiselect, file uploader, the skip link,
# the sidebar's and pop-overs' buttons, as text or as aria-label) -> catalog key. A leading space marks a
# suffix. Streamlit 1.67 has no option for any of them (its frontend strings are not localised), hence
# the script. What it cannot reach: the pickers' screen-reader announcements ("3 options available"),
# which react-aria says in the browser's own language (French on a French browser), and the "⋮" menu.
STREAMLIT_WORDS = {
    "No results": "ui.st.no_results",
    "Select all": "ui.st.select_all",
    "Choose an option": "ui.st.choose",
    "Choose options": "ui.st.choose",
    "Drag and drop file here": "ui.st.drop_file",
    "Browse files": "ui.st.browse",
    "Upload": "ui.st.upload",
    "Skip to main content": "ui.st.skip_to_main",
    "Dismiss": "ui.st.dismiss",
    "Collapse sidebar": "ui.st.collapse_sidebar",
    "Expand sidebar": "ui.st.expand_sidebar",
    "Clear value": "ui.st.clear_value",
    "Main menu": "ui.st.main_menu",
    "App pages": "ui.st.app_pages",
    "Increment": "ui.st.increment",
    "Decrement": "ui.st.decrement",
    "Close": "ui.st.close",
    "Link to heading": "ui.st.link_to_heading",
    "Running...": "ui.st.running",
    "Stop": "ui.st.stop",
    # Issue 20.16: the pickers' arrow and clear-all, tooltips, the tables' and charts' toolbars.
    "Open": "ui.st.open",
    "Clear all": "ui.st.clear_all",
    "Help": "ui.st.help",
    "Download as CSV": "ui.st.download_csv",
    "Search": "ui.st.search",
    "Show/hide columns": "ui.st.show_hide_columns",
    "Fullscreen": "ui.st.fullscreen",
    "Close fullscreen": "ui.st.close_fullscreen",
}
# aria-labels Streamlit builds from ours ("Help for <label>", "<toolbar button>: <label>"): English start ->
# catalog key; the rest (our own words, already in the reader's language) is kept.
STREAMLIT_LABEL_PREFIXES = {
    "Help for ": "ui.st.help_for",
    "Download as CSV: ": "ui.st.download_csv_for",
    "Search: ": "ui.st.search_for",
    "Show/hide columns: ": "ui.st.show_hide_columns_for",
    "Fullscreen: ": "ui.st.fullscreen_for",
    "Close fullscreen: ": "ui.st.close_fullscreen_for",
}
# The uploader's limit ("20MB per file"): a regular expression -> catalog key ({n}, {d}: its groups).
# And an uploaded file's size ("42.6KB", "35.0B"): decimal comma and French units (Ko, Mo, o).
STREAMLIT_PATTERNS = {
    r"(\d+(?:\.\d+)?)MB per file": "ui.st.size_per_file",
    r"^(\d+)\.(\d)KB$": "ui.st.size_kb",
    r"^(\d+)\.(\d)MB$": "ui.st.size_mb",
    r"^(\d+)\.(\d)B$": "ui.st.size_b",
}
# Streamlit's "Page not found" dialog, for an address the reader's menu has no page for (a mistyped link, or a
# page their role does not open: a viewer following a reviewer's link to /review). Its English names a
# developer's folder ("no corresponding file was found in the app's pages/ directory"), so it is replaced in
# every language, English included: {n} is the address asked for.
STREAMLIT_NOTICES = {
    r"^Page not found$": "ui.st.page_not_found",
    r"^You have requested page /(.*), but no corresponding file was found in the app's pages/ directory\. "
    r"Running the app's main page\.$": "ui.st.page_not_found_named",
    r"^The page that you have requested does not seem to exist\. Running the app's main page\.$":
        "ui.st.page_not_found_unnamed",
}


# The reader's language outlives a visit to the identity provider: its return lands on "/" without ?lang=,
# in a new session, so the app reads this cookie when the address names no language (see app.py).
LANG_COOKIE = "iotready_lang"
_REMEMBER = 'document.cookie = "' + LANG_COOKIE + '=" + %s + "; path=/; max-age=31536000; SameSite=Lax";'


def page_scripts(lang: str) -> None:
    """Add the style sheet and the script, in ``lang``, to this run of the page (in the sidebar: no gap)."""
    st.html(_STYLE)
    # Only words that change: a language whose catalog falls back to English would replace "No results" by
    # itself, and each replacement is a DOM change the observer answers with another (the tab hung). For the same
    # reason a notice is replaced only when its replacement does not match its own pattern (English "Page not
    # found" stays as Streamlit wrote it).
    english = lang == "en"
    words = [] if english else [[en, t(key, lang)] for en, key in STREAMLIT_WORDS.items() if t(key, lang) != en]
    patterns = [] if english else [[p, t(key, lang, n="$1", d="$2")] for p, key in STREAMLIT_PATTERNS.items()
                                   if t(key, lang, n="$1", d="$2") != t(key, "en", n="$1", d="$2")]
    patterns += [[p, t(key, lang, n="$1")] for p, key in STREAMLIT_NOTICES.items()
                 if not re.search(p, t(key, lang, n="$1"))]
    prefixes = [] if english else [[en, t(key, lang)] for en, key in STREAMLIT_LABEL_PREFIXES.items()
                                   if t(key, lang) != en]
    script = _SCRIPT % {
        "prefixes": json.dumps(prefixes, ensure_ascii=False),
        "lang": json.dumps(lang), "dir": json.dumps(text_direction(lang)), "dir_css": json.dumps(RTL_CSS),
        "font_css": json.dumps(font_css(lang)),
        "remember": _REMEMBER % json.dumps(lang),
        "message": json.dumps(t("ui.unsaved_text", lang)),
        "words": json.dumps(words, ensure_ascii=False), "patterns": json.dumps(patterns, ensure_ascii=False),
    }
    with st.sidebar:
        st.html(script, unsafe_allow_javascript=True)
