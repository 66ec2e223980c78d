# faxrender's bridge to one LibreOffice instance (UNO over a local pipe).
#
# Run inside the same sandbox as the soffice it talks to, with Debian's
# python3 (python3-uno). Protocol on stdin/stdout, one JSON object per line:
#   request  {"input": "/lo/job/in.doc", "output": "/lo/job/out.pdf"}
#   reply    {"ok": true, "pages": N} or {"ok": false, "error": "...", "password": bool}
# The first line written is {"ready": true} once the office answers.
# Documents are opened hidden (not read-only: that mode builds an infobar
# widget, which crashes headless LibreOffice 7.4), with macros and link updates off,
# so nothing runs and nothing is fetched.
import json
import sys
import time

import uno
from com.sun.star.beans import PropertyValue

PIPE = sys.argv[1]


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def connect(deadline):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    while True:
        try:
            ctx = resolver.resolve(
                "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % PIPE)
            return ctx.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.Desktop", ctx)
        except Exception:
            if time.time() > deadline:
                raise
            time.sleep(0.05)


def export_filter(doc):
    if doc.supportsService("com.sun.star.sheet.SpreadsheetDocument"):
        return "calc_pdf_Export"
    if doc.supportsService("com.sun.star.presentation.PresentationDocument"):
        return "impress_pdf_Export"
    if doc.supportsService("com.sun.star.drawing.DrawingDocument"):
        return "draw_pdf_Export"
    return "writer_pdf_Export"


def convert(desktop, req):
    load = (
        prop("Hidden", True),
        # an empty password: a protected file fails instead of prompting
        prop("Password", ""),
        prop("MacroExecutionMode", 0),  # NEVER_EXECUTE
        prop("UpdateDocMode", 0),  # NO_UPDATE: no linked content fetched
    )
    url = uno.systemPathToFileUrl(req["input"])
    try:
        doc = desktop.loadComponentFromURL(url, "_blank", 0, load)
    except Exception as e:
        text = str(e)
        return {"ok": False, "error": "LibreOffice could not open the document: " + text,
                "password": "password" in text.lower()}
    if doc is None:
        return {"ok": False, "error": "LibreOffice could not open the document", "password": False}
    try:
        out = uno.systemPathToFileUrl(req["output"])
        doc.storeToURL(out, (prop("FilterName", export_filter(doc)),))
    except Exception as e:
        return {"ok": False, "error": "LibreOffice could not export the document: " + str(e),
                "password": False}
    finally:
        try:
            doc.close(True)
        except Exception:
            pass
    return {"ok": True}


def main():
    desktop = connect(time.time() + 60)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        try:
            req = json.loads(line)
            reply = convert(desktop, req)
        except Exception as e:  # never die on one bad request
            reply = {"ok": False, "error": "bridge failure: " + str(e), "password": False}
        print(json.dumps(reply), flush=True)


main()
