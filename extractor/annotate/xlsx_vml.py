"""The parts Excel needs beside a sheet's comments: an empty comments part and the VML
drawing whose note boxes show them (the layout openpyxl and Excel write)."""

from __future__ import annotations

from lxml import etree
from lxml.etree import _Element as Element

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
V, O, X = "urn:schemas-microsoft-com:vml", "urn:schemas-microsoft-com:office:office", "urn:schemas-microsoft-com:office:excel"
VML_TYPE = "application/vnd.openxmlformats-officedocument.vmlDrawing"
NOTE_TYPE = "_x0000_t202"
FIRST_SHAPE = 1025  # Excel numbers note shapes from _x0000_s1025


def comments_root() -> Element:
    root = etree.Element(f"{{{NS}}}comments", nsmap={None: NS})
    etree.SubElement(root, f"{{{NS}}}authors")
    etree.SubElement(root, f"{{{NS}}}commentList")
    return root


def vml_root() -> Element:
    root = etree.Element("xml", nsmap={"v": V, "o": O, "x": X})
    layout = etree.SubElement(root, f"{{{O}}}shapelayout", {f"{{{V}}}ext": "edit"})
    etree.SubElement(layout, f"{{{O}}}idmap", {f"{{{V}}}ext": "edit", "data": "1"})
    shape_type = etree.SubElement(root, f"{{{V}}}shapetype", {
        "id": NOTE_TYPE, "coordsize": "21600,21600", f"{{{O}}}spt": "202", "path": "m,l,21600r21600,l21600,xe"})
    etree.SubElement(shape_type, f"{{{V}}}stroke", joinstyle="miter")
    etree.SubElement(shape_type, f"{{{V}}}path", {"gradientshapeok": "t", f"{{{O}}}connecttype": "rect"})
    return root


def note_shape(vml: Element, row: int, col: int) -> Element:
    """A hidden note box for the cell at 0-based (row, col), with a shape id not yet used."""
    used = {s.get("id") for s in vml.iter(f"{{{V}}}shape")}
    number = FIRST_SHAPE
    while f"_x0000_s{number}" in used:
        number += 1
    shape = etree.Element(f"{{{V}}}shape", {
        "id": f"_x0000_s{number}", "type": f"#{NOTE_TYPE}", "fillcolor": "#ffffe1", f"{{{O}}}insetmode": "auto",
        "style": "position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:240pt;height:96pt;"
                 "z-index:1;visibility:hidden"})
    etree.SubElement(shape, f"{{{V}}}fill", color2="#ffffe1")
    etree.SubElement(shape, f"{{{V}}}shadow", on="t", color="black", obscured="t")
    etree.SubElement(shape, f"{{{V}}}path", {f"{{{O}}}connecttype": "none"})
    box = etree.SubElement(shape, f"{{{V}}}textbox", style="mso-direction-alt:auto")
    etree.SubElement(box, "div", style="text-align:left")
    data = etree.SubElement(shape, f"{{{X}}}ClientData", ObjectType="Note")
    etree.SubElement(data, f"{{{X}}}MoveWithCells")
    etree.SubElement(data, f"{{{X}}}SizeWithCells")
    etree.SubElement(data, f"{{{X}}}AutoFill").text = "False"
    etree.SubElement(data, f"{{{X}}}Row").text = str(row)
    etree.SubElement(data, f"{{{X}}}Column").text = str(col)
    return shape
