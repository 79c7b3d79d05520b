import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createBrowserRouter, RouterProvider } from "react-router-dom";
import { restoreSession } from "./api/authProvider";
import { session } from "./api/session";
import { App } from "./App";

// The entity catalogue must be known before <Admin> declares its resources.
// A browser data router (react-admin defaults to a hash router): the server has an SPA fallback, and
// a data router lets editors block navigation while they hold unsaved changes.
restoreSession().finally(() => {
  // Logged out: start on /login. Letting react-admin find out (its LogoutOnMount on every other
  // route) bounced between / and /login a thousand times before the form showed.
  if (!session.get().token && window.location.pathname !== "/login") window.history.replaceState(null, "", "/login");
  const router = createBrowserRouter([{ path: "*", element: <App /> }]);
  createRoot(document.getElementById("root")!).render(
    <StrictMode>
      <RouterProvider router={router} />
    </StrictMode>,
  );
});
