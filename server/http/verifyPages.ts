/**
 * The public /verify pages (templates/verify) and the one answer both lookups give: JSON for
 * programs, a page for people.
 */
import type { Request, Response } from "express";
import type { PublicDocument } from "../presenters/publicDocumentPresenter.js";
import { renderView } from "../views/viewEngine.js";

/** The upload form (GET /verify). */
export function sendUploadPage(res: Response, maxMb: number) {
  sendPage(res, 200, "Xác thực văn bản", "upload", { maxMb });
}

function sendPage(res: Response, status: number, title: string, view: string, data: Record<string, unknown>) {
  res
    .status(status)
    .type("html")
    .send(renderView("verify", view, { ...data, title }));
}

/**
 * The result of a lookup by code (404 when nothing matches) or by file (200 either way, with
 * `match`): JSON when asked for, else the page.
 */
export function sendVerification(
  req: Request,
  res: Response,
  found: PublicDocument | null,
  how: "code" | "file",
  extra: Record<string, unknown> = {},
) {
  const status = found || how === "file" ? 200 : 404;
  const message = found
    ? how === "file"
      ? "Tệp tải lên đúng từng byte là văn bản đã ban hành dưới đây."
      : "Mã xác thực hợp lệ: văn bản đã được ban hành như dưới đây."
    : how === "file"
      ? "Tệp tải lên KHÔNG trùng khớp với bất kỳ văn bản nào đã ban hành (tệp có thể đã bị thay đổi)."
      : "Không tìm thấy văn bản nào có mã xác thực này.";
  res.format({
    json: () => {
      if (!found && how === "code")
        return void res.status(404).json({ error: { code: "document_not_found", message } });
      res.status(200).json({ data: { match: !!found, ...extra, ...(found ? { document: found } : {}) } });
    },
    html: () =>
      sendPage(res, status, found ? (found.number ?? found.type) : "Không hợp lệ", "document", {
        heading: "Xác thực văn bản",
        found: !!found,
        message,
        document: found,
      }),
    default: () => void res.status(406).end(),
  });
}
