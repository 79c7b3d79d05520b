/** File uploads of the import routes (payment files, batch uploads): CSV as text, XLSX as octets. */
import express, { type Request, type Response } from "express";

export const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** A binary upload (XLSX, or CSV sent as octets) is handed over as a Buffer outside req.body. */
export const rawUpload = (limit: string) => {
  const parse = express.raw({ limit, type: [XLSX, "application/octet-stream"] });
  return (req: Request, res: Response, next: (e?: unknown) => void) =>
    parse(req, res, (err?: unknown) => {
      if (err) return next(err);
      if (Buffer.isBuffer(req.body)) {
        res.locals.upload = req.body;
        req.body = undefined;
      }
      next();
    });
};
