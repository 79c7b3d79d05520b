import { Box, Button, Card, CardContent, CircularProgress, TextField, Typography } from "@mui/material";
import { useState, type FormEvent } from "react";
import { LocalesMenuButton, useLogin, useNotify, useTranslate } from "react-admin";

/** Email + password login (the server expects `email`, not react-admin's `username`). */
export const LoginPage = () => {
  const login = useLogin();
  const notify = useNotify();
  const translate = useTranslate();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [loading, setLoading] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setLoading(true);
    try {
      await login({ email, password });
    } catch (err) {
      notify(typeof err === "string" ? err : (err as Error)?.message || "ra.auth.sign_in_error", { type: "error" });
    } finally {
      setLoading(false);
    }
  };

  return (
    <Box
      sx={{
        minHeight: "100vh",
        display: "flex",
        alignItems: "center",
        justifyContent: "center",
        background: "linear-gradient(135deg, #1565c0 0%, #4a148c 100%)",
      }}
    >
      <Card sx={{ width: 380 }}>
        <CardContent>
          <Box sx={{ display: "flex", justifyContent: "space-between", alignItems: "center" }}>
            <Typography variant="h5">{translate("ordo.app")}</Typography>
            <LocalesMenuButton />
          </Box>
          <form onSubmit={submit}>
            <TextField
              name="email"
              type="email"
              autoComplete="username"
              label={translate("ra.auth.email")}
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              fullWidth
              margin="normal"
              required
              autoFocus
            />
            <TextField
              name="password"
              type="password"
              autoComplete="current-password"
              label={translate("ra.auth.password")}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              fullWidth
              margin="normal"
              required
            />
            <Button type="submit" variant="contained" fullWidth disabled={loading} sx={{ mt: 2 }}>
              {loading ? <CircularProgress size={22} /> : translate("ra.auth.sign_in")}
            </Button>
          </form>
        </CardContent>
      </Card>
    </Box>
  );
};
