"""The views' stylesheets: every selector under ``.wsnb`` (views) or a form's root; colours from the
notebook's theme variables.

JupyterLab's ``--jp-*`` first, then VS Code's ``--vscode-*``, then values derived from the text colour
(``currentColor``), so an unknown theme (Colab, dark or light) still gets readable contrast. No
background is set except on badges, whose colours work on light and dark pages alike. Rules sit
under ``.wsnb .wsnb-card`` so that they outrank JupyterLab's own rendered-HTML styles (code chips,
right-aligned cells, fixed table layout) without ``!important``.

Accent colours (warnings, errors, success) are the theme's accent mixed 55 % with its strongest text
colour (black on a light theme, white on a dark one): the hue stays, and the contrast with the page
stays above WCAG AA's 4.5:1 in JupyterLab's light and dark themes (JupyterLab's own orange on white is
2.7:1). ``tests/browser/test_a11y_browser.py`` measures it.
"""

_INK = "var(--jp-content-font-color0,var(--vscode-editor-foreground,currentColor))"


def _accent(theme_var: str, fallback: str) -> str:
    """A theme accent darkened (light theme) or lightened (dark theme) toward the text colour."""
    return f"color-mix(in srgb,var({theme_var},{fallback}) 55%,{_INK})"


_WARN = _accent("--jp-warn-color0", "var(--vscode-editorWarning-foreground,#b35900)")
_ERROR = _accent("--jp-error-color1", "var(--vscode-errorForeground,#c4314b)")
_OK = _accent("--jp-success-color1", "#1a7f37")
# A control's edge: 60 % of the text colour over whatever is behind it, at least 3:1 in both themes.
_EDGE = f"color-mix(in srgb,{_INK} 60%,transparent)"

CSS = (
    """
.wsnb{--wsnb-border:var(--jp-border-color2,var(--vscode-editorWidget-border,color-mix(in srgb,currentColor 22%,transparent)));
--wsnb-muted:var(--jp-content-font-color2,var(--vscode-descriptionForeground,color-mix(in srgb,currentColor 65%,transparent)));
--wsnb-shade:var(--jp-layout-color2,color-mix(in srgb,currentColor 6%,transparent));
--wsnb-warn:"""
    + _WARN
    + """;
--wsnb-link:var(--jp-content-link-color,var(--vscode-textLink-foreground,#0969da));
--wsnb-error:"""
    + _ERROR
    + """;
font-family:var(--jp-ui-font-family,var(--vscode-font-family,system-ui,sans-serif));font-size:13px;line-height:1.45;max-width:72em}
.wsnb .wsnb-card{border:1px solid var(--wsnb-border);border-radius:6px;padding:10px 14px;min-width:0;overflow-wrap:break-word}
.wsnb .wsnb-card .wsnb-title{font-size:15px;font-weight:600;margin:0 0 4px 0}
.wsnb .wsnb-card .wsnb-headline{margin:2px 0 4px 0}
.wsnb .wsnb-card .wsnb-amount{font-size:22px;font-weight:700;line-height:1.2;margin-right:10px}
.wsnb .wsnb-card .wsnb-sub{color:var(--wsnb-muted);margin:0 0 8px 0}
.wsnb .wsnb-card .wsnb-nowrap{white-space:nowrap}
.wsnb .wsnb-card .wsnb-scroll{overflow-x:auto;max-width:100%}
.wsnb .wsnb-card .wsnb-muted{color:var(--wsnb-muted)}
.wsnb .wsnb-card .wsnb-badge{display:inline-block;padding:0 8px;border-radius:10px;font-size:12px;font-weight:600;color:#fff;border:1px solid transparent;vertical-align:1px;white-space:nowrap}
.wsnb .wsnb-card .wsnb-good{background:#1a7f37}
.wsnb .wsnb-card .wsnb-bad{background:#c4314b}
.wsnb .wsnb-card .wsnb-info{background:#0969da}
.wsnb .wsnb-card .wsnb-pending{background:#8250df}
.wsnb .wsnb-card .wsnb-transit{background:#0a7b83}
.wsnb .wsnb-card .wsnb-neutral{background:#636c76}
.wsnb .wsnb-card .wsnb-overdue{color:var(--wsnb-warn);font-weight:600;white-space:nowrap}
.wsnb .wsnb-card time{white-space:nowrap}
.wsnb .wsnb-card .wsnb-warning{color:var(--wsnb-warn);font-weight:600;margin:6px 0}
.wsnb .wsnb-card dl.wsnb-kv{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:2px 12px;margin:4px 0}
.wsnb .wsnb-card dl.wsnb-kv dt{color:var(--wsnb-muted);white-space:nowrap}
.wsnb .wsnb-card dl.wsnb-kv dd{margin:0;min-width:0}
.wsnb .wsnb-card dl.wsnb-kv dt.wsnb-group{grid-column:1/-1;font-weight:600}
.wsnb .wsnb-card dl.wsnb-kv dd.wsnb-group{grid-column:1/-1;padding-left:10px;border-left:2px solid var(--wsnb-border);margin-bottom:2px}
.wsnb .wsnb-card dl.wsnb-kv dd.wsnb-group>dl.wsnb-kv{margin:0}
.wsnb .wsnb-card ul.wsnb-list{margin:0;padding-left:1.2em}
.wsnb .wsnb-card .wsnb-cols{display:flex;flex-wrap:wrap;gap:8px 32px}
.wsnb .wsnb-card .wsnb-cols>section{min-width:16em;flex:1 1 auto;max-width:100%}
.wsnb .wsnb-card h4{margin:6px 0 2px 0;font-size:13px}
.wsnb .wsnb-card table{table-layout:auto;border-collapse:collapse;margin:4px 0;font-size:12.5px}
.wsnb .wsnb-card th,.wsnb .wsnb-card td{border-bottom:1px solid var(--wsnb-border);padding:3px 6px;text-align:left;vertical-align:top}
.wsnb .wsnb-card thead th{background:var(--wsnb-shade)}
.wsnb .wsnb-card td.wsnb-num,.wsnb .wsnb-card th.wsnb-num{text-align:right;font-variant-numeric:tabular-nums}
.wsnb .wsnb-card tfoot td,.wsnb .wsnb-card tfoot th{font-weight:600;border-bottom:none}
.wsnb .wsnb-card tbody tr:nth-child(n){background:none}
.wsnb .wsnb-card td.wsnb-prose{min-width:9em;max-width:32em}
.wsnb .wsnb-card td.wsnb-detail{min-width:12em}
.wsnb .wsnb-card td.wsnb-discount{min-width:7em}
.wsnb .wsnb-card thead th{white-space:nowrap}
.wsnb .wsnb-card .wsnb-tag{display:inline-block;font-size:11px;padding:0 5px;border:1px solid var(--wsnb-border);border-radius:8px;color:var(--wsnb-muted);white-space:nowrap}
.wsnb .wsnb-card tr.wsnb-more td{color:var(--wsnb-muted);font-style:italic;text-align:center}
.wsnb .wsnb-card details.wsnb-section{margin:6px 0}
.wsnb .wsnb-card details.wsnb-section>summary{cursor:pointer;font-weight:600}
.wsnb .wsnb-card a{color:var(--wsnb-link)}
.wsnb .wsnb-card code{font-family:var(--jp-code-font-family,monospace);font-size:12px}
.wsnb .wsnb-card code.wsnb-id,.wsnb .wsnb-card code.wsnb-masked{white-space:nowrap}
.wsnb .wsnb-card code.wsnb-d{font:inherit;background:none;padding:0;border:0;color:inherit}
.wsnb .wsnb-card code.wsnb-money{font:inherit;font-variant-numeric:tabular-nums;white-space:nowrap;background:none;padding:0}
.wsnb .wsnb-card pre{max-height:24em;overflow:auto;font-size:11.5px;border:1px solid var(--wsnb-border);padding:6px;margin:4px 0}
.wsnb .wsnb-card ol.wsnb-timeline{margin:4px 0;padding-left:1.4em}
.wsnb .wsnb-card.wsnb-error{border-color:var(--wsnb-error);border-left-width:4px}
.wsnb .wsnb-card.wsnb-error .wsnb-title{color:var(--wsnb-error)}
.wsnb .wsnb-card.wsnb-error .wsnb-message{overflow-wrap:normal;word-break:normal;overflow-x:auto}
.wsnb .wsnb-card .wsnb-unsafe-url{text-decoration:line-through dotted}
"""
)

FORM_ROOT = ":is(.wsnb-form,.wsnb-explorer,.widget-vbox:has(>.wsnb-field))"
"""A form's root: the edit form, the explorer, or any box that holds the generated fields (the bulk
editor's)."""

FORM_CSS = (
    f"{FORM_ROOT}{{--wsnb-warn:{_WARN};--wsnb-error:{_ERROR};--wsnb-ok:{_OK};--wsnb-edge:{_EDGE}}}"
    # ipywidgets draws an HTML widget's content as a flex item, which will not shrink below its
    # widest table: the card would be cut off on the right in a narrow notebook. Let it shrink,
    # so that the card fits the output and scrolls its own wide tables.
    f"{FORM_ROOT} .widget-html-content{{min-width:0;max-width:100%}}"
    # Inputs and buttons outlined at 3:1 (WCAG 1.4.11): the theme's grey edges measure 1.2-1.9:1.
    f"{FORM_ROOT} .widget-inline-hbox input.widget-input,{FORM_ROOT} .widget-inline-hbox select,"
    f"{FORM_ROOT} button.jupyter-button:enabled{{border:1px solid var(--wsnb-edge)}}"
    f"{FORM_ROOT} button.jupyter-button.mod-warning:enabled"
    "{background:var(--wsnb-warn);color:var(--jp-layout-color1,Canvas)}"
    # A disabled button is hollow and faded, so it never looks like an enabled one in any theme.
    f"{FORM_ROOT} button.jupyter-button:disabled"
    "{background:transparent;box-shadow:none;opacity:.45;border:1px dashed var(--jp-border-color1,#999)}"
    f"{FORM_ROOT} .wsnb-msg{{line-height:1.4}}"
    f"{FORM_ROOT} .wsnb-msg-error{{color:var(--wsnb-error)}}"
    f"{FORM_ROOT} .wsnb-msg-warn{{color:var(--wsnb-warn)}}"
    f"{FORM_ROOT} .wsnb-msg-ok{{color:var(--wsnb-ok)}}"
)
"""The generated forms' stylesheet (the edit form and the bulk editor), shipped with their fields."""
