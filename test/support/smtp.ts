/** A real SMTP server in-process on 127.0.0.1 (smtp-server), the messages it receives parsed with mailparser. */
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";

export interface Mailbox {
  port: number;
  mails: { raw: string; parsed: ParsedMail; rcpt: string[]; user?: string }[];
  close(): Promise<void>;
}

export async function smtp(opts: { auth?: boolean; reject?: boolean } = {}): Promise<Mailbox> {
  const mails: Mailbox["mails"] = [];
  const server = new SMTPServer({
    disabledCommands: opts.auth ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    authOptional: !opts.auth,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === "ordo" && auth.password === "s3cret") cb(null, { user: "ordo" });
      else cb(new Error("bad credentials"));
    },
    onRcptTo(_address, _session, cb) {
      if (opts.reject) {
        const err = new Error("mailbox unavailable") as Error & { responseCode: number };
        err.responseCode = 550;
        cb(err);
      } else cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        mails.push({
          raw,
          parsed: await simpleParser(raw),
          rcpt: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
        });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.server.address() as { port: number }).port;
  return { port, mails, close: () => new Promise<void>((r) => server.close(() => r())) };
}
