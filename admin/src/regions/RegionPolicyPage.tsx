import { Alert, Box, Button, Card, CardContent, FormControlLabel, Switch, TextField, Typography } from "@mui/material";
import { useEffect, useState } from "react";
import { Title, useLocaleState, useNotify, useTranslate } from "react-admin";
import { api, errorMessage } from "../api/http";
import { OrgTreeList } from "./OrgTreeList";
import { PolicyGrid } from "./PolicyGrid";
import type { OrgNode, RegionPolicy, RegionReminders } from "./types";

const today = () => new Date().toISOString().slice(0, 10);

function firstRegion(nodes: OrgNode[]): string | null {
  for (const n of nodes) {
    if (n.type === "region") return n.id;
    const below = firstRegion(n.children);
    if (below) return below;
  }
  return null;
}

/** The region's reminder settings: days before each city's deadline, on or off, and when each city is due. */
const ReminderSettings = ({
  reminders,
  cityName,
  onSaved,
}: {
  reminders: RegionReminders;
  cityName: (code: string) => string;
  onSaved: () => void;
}) => {
  const translate = useTranslate();
  const notify = useNotify();
  const [days, setDays] = useState(String(reminders.reminderDaysBefore));
  const [enabled, setEnabled] = useState(reminders.remindersEnabled);
  useEffect(() => {
    setDays(String(reminders.reminderDaysBefore));
    setEnabled(reminders.remindersEnabled);
  }, [reminders]);
  const save = async () => {
    try {
      await api(`/regions/${reminders.orgUnitId}/settings`, {
        method: "PUT",
        body: { reminderDaysBefore: Number(days), remindersEnabled: enabled },
      });
      notify("ordo.regions.saved", { type: "success" });
      onSaved();
    } catch (e) {
      notify(errorMessage(e), { type: "error" });
    }
  };
  return (
    <Box sx={{ mt: 3 }} data-testid="region-reminders">
      <Typography variant="h6">{translate("ordo.regions.reminders")}</Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        {translate("ordo.regions.reminders_help")}
      </Typography>
      <Box sx={{ display: "flex", gap: 2, alignItems: "center", flexWrap: "wrap" }}>
        <TextField
          type="number"
          name="reminderDaysBefore"
          label={translate("ordo.regions.days_before")}
          value={days}
          onChange={(e) => setDays(e.target.value)}
          slotProps={{ htmlInput: { min: 0, max: 31 } }}
          sx={{ width: 180 }}
        />
        <FormControlLabel
          control={<Switch checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />}
          label={translate("ordo.regions.enabled")}
        />
        <Button variant="contained" onClick={save}>
          {translate("ra.action.save")}
        </Button>
      </Box>
      <Box component="ul" sx={{ mt: 1 }}>
        {reminders.cities.map((c) => (
          <li key={c.city}>
            {translate("ordo.regions.remind_on", {
              city: cityName(c.city),
              deadline: c.paymentDeadline,
              remindOn: c.remindOn,
            })}
          </li>
        ))}
      </Box>
    </Box>
  );
};

/** Region view: pick a unit in the org tree; its stores' cities side by side as of a date. */
export const RegionPolicyPage = () => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const [tree, setTree] = useState<OrgNode[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [at, setAt] = useState(today());
  const [showSource, setShowSource] = useState(false);
  const [view, setView] = useState<RegionPolicy | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    api<OrgNode[]>("/org-tree").then(
      (roots) => {
        setTree(roots);
        setSelected((s) => s ?? firstRegion(roots));
      },
      (e) => setError(errorMessage(e)),
    );
  }, []);
  useEffect(() => {
    if (!selected || !/^\d{4}-\d{2}-\d{2}$/.test(at)) return;
    let live = true;
    setError(null);
    api<RegionPolicy>(`/regions/${selected}/policy?at=${at}`).then(
      (v) => live && setView(v),
      (e) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [selected, at, reload, locale]);

  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate("ordo.regions.title")} />
      <CardContent>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          {translate("ordo.regions.help")}
        </Typography>
        <Box sx={{ display: "flex", gap: 3, alignItems: "flex-start" }}>
          <Box sx={{ width: 260, flexShrink: 0 }}>
            <OrgTreeList roots={tree} selected={selected} onSelect={setSelected} />
          </Box>
          <Box sx={{ flexGrow: 1, minWidth: 0 }}>
            <Box sx={{ display: "flex", gap: 2, alignItems: "center", mb: 2 }}>
              <TextField
                type="date"
                name="at"
                label={translate("ordo.regions.at")}
                value={at}
                onChange={(e) => setAt(e.target.value)}
                slotProps={{ inputLabel: { shrink: true } }}
                sx={{ width: 200 }}
              />
              <FormControlLabel
                control={<Switch checked={showSource} onChange={(e) => setShowSource(e.target.checked)} />}
                label={translate("ordo.regions.show_sources")}
              />
            </Box>
            {error && <Alert severity="error">{error}</Alert>}
            {view && (
              <>
                <Typography variant="h6" sx={{ mb: 1 }}>
                  {view.region.name} · {translate("ordo.regions.as_of", { at: view.at })}
                </Typography>
                {view.cities.length ? (
                  <PolicyGrid cities={view.cities} showSource={showSource} />
                ) : (
                  <Alert severity="info">{translate("ordo.regions.no_stores")}</Alert>
                )}
                {view.cities.some((c) => c.missing.length) && (
                  <Alert severity="warning" sx={{ mt: 2 }}>
                    {view.cities
                      .filter((c) => c.missing.length)
                      .map((c) => `${locale.startsWith("zh") ? c.cityZh : c.cityEn}: ${c.missing.join(", ")}`)
                      .join("; ")}
                  </Alert>
                )}
                {view.reminders && (
                  <ReminderSettings
                    reminders={view.reminders}
                    cityName={(code) => {
                      const c = view.cities.find((x) => x.city === code);
                      return c ? (locale.startsWith("zh") ? c.cityZh : c.cityEn) : code;
                    }}
                    onSaved={() => setReload((n) => n + 1)}
                  />
                )}
              </>
            )}
          </Box>
        </Box>
      </CardContent>
    </Card>
  );
};
