"""Exceptions and the coded message table.

The library raises, the pipeline records, the CLI prints. Every message is one line,
names the file and says what to do. Codes: E1xx input, E2xx patterns, E3xx usage,
W3xx extraction warnings (recorded as model.Issue, never raised).
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "E101": "{path}: 文件不存在，请检查路径",
    "E102": "{path}: 不支持的文件类型 {suffix}，请另存为 .docx、.pdf 或 .xlsx",
    "E103": "{path}: 旧格式 {suffix} 需先转换：安装 LibreOffice 后运行 soffice --headless --convert-to {target} {name}，或在 Word/WPS/Excel 中另存为 {target}",
    "E104": "{path}: 文件已损坏或不是有效的 {fmt} 文件（{detail}），请重新导出后再提交",
    "E105": "{path}: PDF 已加密且无法用空密码打开，请提供未加密的文件",
    "E106": "{path}: PDF 没有文字层（扫描件），需要 OCR：安装 OCR 扩展（pip install -e '.[ocr]'）后用 --ocr auto 重试，或提供可复制文字的 PDF 或原始 Word 文件",
    "E107": "{path}: 文件中没有可读内容（空文档），请确认提交的是正确文件",
    "E108": "{path}: 文件解压后过大或结构异常（{detail}），疑似压缩炸弹或 XML 实体炸弹，已拒绝读取",
    "E109": "{path}: 读取超时（超过 {seconds} 秒），请检查文件或单独处理",
    "E110": "{path}: 读取失败（{detail}），请用 --debug 查看详情并反馈",
    "E111": "{path}: 压缩包中的路径 {member} 越出目标目录，已拒绝",
    "E201": "{path}: 规则数据错误：{key}：{detail}",
    "E301": "参数错误：{detail}",
}


class ExtractorError(Exception):
    """Base for every error the CLI turns into a one-line message."""

    code = "E000"

    def __init__(self, code: str, **fields: object) -> None:
        self.code = code
        self.fields = fields
        super().__init__(MESSAGES[code].format(**fields))

    def __str__(self) -> str:
        return f"[{self.code}] {self.args[0]}"


class InputError(ExtractorError):
    """A file that cannot be read: missing, unsupported, corrupt, encrypted, scanned, empty."""


class PatternError(ExtractorError):
    """Bad data in patterns/: names the file and the key."""


class UsageError(ExtractorError):
    """Bad command-line or API arguments."""
