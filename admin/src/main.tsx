import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router-dom";
import { restoreSession } from "./api/authProvider";
import { session } from "./api/session";
import { App } from "./App";

// The entity catalogue must be known before <Admin> declares its resources.
// BrowserRouter (react-admin defaults to a hash router): the server has an SPA fallback.
restoreSession().finally(() => {
  // Logged out: start on /login. Letting react-admin find out (its LogoutOnMount on every other
  // route) bounced between / and /login a thousand times before the form showed.
  if (!session.get().token && window.location.pathname !== "/login") window.history.replaceState(null, "", "/login");
  createRoot(document.getElementById("root")!).render(
    <StrictMode>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </StrictMode>,
  );
});
