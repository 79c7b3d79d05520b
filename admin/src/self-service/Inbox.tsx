import {
  Alert,
  Badge,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  List,
  ListItem,
  ListItemText,
  Typography,
} from "@mui/material";
import { useCallback, useEffect, useState } from "react";
import { Loading, Title, useTranslate } from "react-admin";
import { api, errorMessage } from "../api/http";

/** GET /api/me/inbox. */
interface InboxAnswer {
  data: { id: string; subject: string; body: string; sentAt: string; read: boolean; dueDate: string | null }[];
  total: number;
  unread: number;
}

/** The unread count of the inbox, for the menu badge (read once on mount, again when `key` changes). */
export function useUnread(key = 0): number {
  const [unread, setUnread] = useState(0);
  useEffect(() => {
    api<InboxAnswer>("/me/inbox?limit=1")
      .then((a) => setUnread(a.unread))
      .catch(() => setUnread(0));
  }, [key]);
  return unread;
}

export const UnreadBadge = ({ children }: { children: React.ReactNode }) => {
  const unread = useUnread();
  return (
    <Badge color="error" badgeContent={unread} max={99} data-testid="inbox-unread">
      {children}
    </Badge>
  );
};

/** The in-app inbox: an employee's own notifications, or HR's in the HR app. */
export const Inbox = () => {
  const translate = useTranslate();
  const [answer, setAnswer] = useState<InboxAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api<InboxAnswer>("/me/inbox?limit=100")
      .then(setAnswer)
      .catch((e) => setError(errorMessage(e)));
  }, []);
  useEffect(load, [load]);
  const mark = async (path: string) => {
    try {
      await api(path, { method: "POST", body: {} });
      load();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  if (error) return <Alert severity="error">{error}</Alert>;
  if (!answer) return <Loading />;
  return (
    <Card sx={{ m: 2 }} data-testid="inbox">
      <Title title={translate("ordo.inbox.title")} />
      <CardContent>
        <Box sx={{ display: "flex", alignItems: "center", gap: 2, mb: 1 }}>
          <Typography variant="h6">{translate("ordo.inbox.title")}</Typography>
          <Chip
            data-testid="inbox-unread-count"
            color={answer.unread ? "error" : "default"}
            label={translate("ordo.inbox.unread", { smart_count: answer.unread })}
          />
          <Box sx={{ flex: 1 }} />
          <Button disabled={!answer.unread} onClick={() => mark("/me/inbox/read-all")}>
            {translate("ordo.inbox.mark_all_read")}
          </Button>
        </Box>
        {!answer.data.length && <Typography color="text.secondary">{translate("ordo.inbox.empty")}</Typography>}
        <List>
          {answer.data.map((n) => (
            <ListItem
              key={n.id}
              divider
              data-testid="inbox-item"
              secondaryAction={
                !n.read && (
                  <Button size="small" onClick={() => mark(`/me/inbox/${n.id}/read`)}>
                    {translate("ordo.inbox.mark_read")}
                  </Button>
                )
              }
            >
              <ListItemText
                primary={<span style={{ fontWeight: n.read ? 400 : 700 }}>{n.subject}</span>}
                secondary={
                  <>
                    <span style={{ whiteSpace: "pre-wrap", display: "block" }}>{n.body}</span>
                    <span>{new Date(n.sentAt).toLocaleString()}</span>
                  </>
                }
              />
            </ListItem>
          ))}
        </List>
      </CardContent>
    </Card>
  );
};
