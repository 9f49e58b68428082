"""Exceptions and the coded message table.

The library raises, the pipeline records, the CLI prints. Every message is one line,
names the file and says what to do. Codes: E1xx input and environment, E2xx patterns, E3xx usage,
W1xx reading and W3xx extraction warnings (recorded as model.Issue, never raised).
E110 is kept for true bugs of this tool; ENVIRONMENT_CODES are failures of the machine
(disk, permissions, time limit), never of the file, so a batch never reuses them.
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
    "E110": "{path}: 内部错误（{detail}），这是本工具的缺陷：请加 --debug 重新运行，并把输出和文件一起反馈",
    "E111": "{path}: 压缩包中的路径 {member} 越出目标目录，已拒绝",
    "E112": "{path}: 输出位置{detail}，请用 -o 指定一个可以新建或已有的文件夹",
    "E113": "{path}: 没有写入权限（{detail}），请换一个可写的输出文件夹，或修改该文件夹的权限后重新运行",
    "E114": "{path}: 磁盘空间不足（{detail}），已完成的结果保留不变；请释放空间后重新运行同一命令，未完成的部分会重新处理",
    "E115": "{path}: 名称不是有效的 UTF-8 编码，该文件（或文件夹）已跳过；请把文件重命名（只用正常的中文、字母和数字）后重新运行",
    "E116": "{path}: 符号链接循环或指向不存在的位置（{detail}），已跳过；请删除或修正该链接",
    "E117": "{path}: 压缩包中的 {member} 既是文件又是文件夹（名称冲突），已拒绝解压；请重新打包后提交",
    "E118": "{path}: 另一个核查进程（pid {pid}）正在写入该输出文件夹，请等它结束后再运行，或换一个输出文件夹",
    "E119": "{path}: 该输出文件夹已被 extractor {kind} 使用（{marker}），为免覆盖其中的结果已拒绝；请换一个输出文件夹",
    "E120": "{path}: 无法读取（{detail}），请检查文件权限、磁盘或网络盘后重新运行",
    "E201": "{path}: 规则数据错误：{key}：{detail}",
    "E301": "参数错误：{detail}",
}

# Failures caused by the machine or by this tool, never properties of the file itself: a batch
# re-tries a submission that has one instead of reusing it (E109: time limit, perhaps raised).
# E110 is a bug (reused: the same tool fails the same way) unless its detail is an OSError,
# which db.stored_fingerprints also treats as the machine's (a worker that could not write).
ENVIRONMENT_CODES = frozenset({"E109", "E112", "E113", "E114", "E116", "E118", "E120"})
OS_ERROR_MARK = "[Errno "


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


class MalformedInput(Exception):
    """Raised by this package's own code on a file it finds broken (not a bug of ours): the
    read_document boundary makes it E104 like a parser library's exception."""


class EnvironmentFault(ExtractorError):
    """The machine, not the input: OUT not writable, disk full, OUT in use by another run."""


def environment_fault(exc: OSError, where: object = "") -> EnvironmentFault | InputError:
    """The coded line for an OSError met while writing outputs or walking the input:
    E112 OUT is a file or under one, E113 not writable, E114 disk full, E116 symlink loop,
    E120 anything else the system refused. Names the path the system named, else `where`."""
    import errno

    path = exc.filename or where or "?"
    detail = exc.strerror or type(exc).__name__
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return EnvironmentFault("E114", path=path, detail=detail)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return EnvironmentFault("E113", path=path, detail=detail)
    if exc.errno in (errno.EEXIST, errno.ENOTDIR, errno.EISDIR):
        what = {errno.EEXIST: "是一个已有的文件", errno.ENOTDIR: "位于一个文件之下",
                errno.EISDIR: "的输出文件名已被一个文件夹占用"}[exc.errno]
        return EnvironmentFault("E112", path=path, detail=what)
    if exc.errno == errno.ELOOP:
        return InputError("E116", path=path, detail=detail)
    return EnvironmentFault("E120", path=path, detail=detail)
