import { Box, Typography } from "@mui/material";
import {
  DateField,
  FunctionField,
  Labeled,
  Link,
  Show,
  SimpleShowLayout,
  TextField,
  useRecordContext,
  useTranslate,
} from "react-admin";
import { AuditChange } from "./AuditChange";

type Row = Record<string, any>;

/** Why: the decision a lifecycle operation or monthly run stored (rule set, version, facts, trace). */
const Decision = () => {
  const record = useRecordContext<Row>();
  const translate = useTranslate();
  const d = record?.decision;
  if (!d) return null;
  return (
    <Box data-testid="audit-decision" sx={{ mt: 2 }}>
      <Typography variant="subtitle1">{translate("ordo.audit.decision")}</Typography>
      <Typography variant="body2">
        {d.ruleSet} v{d.version ?? "draft"} · {d.operation} · <Link to={`/decisions/${d.id}/show`}>{d.id}</Link>
      </Typography>
      {[
        ["facts", d.facts],
        ["events", d.events],
        ["trace", d.trace],
      ].map(([name, value]) => (
        <Box key={name as string} sx={{ mt: 1 }}>
          <Typography variant="caption">{translate(`ordo.audit.${name}`)}</Typography>
          <pre style={{ margin: 0, maxHeight: 320, overflow: "auto", fontSize: 12 }}>
            {JSON.stringify(value, null, 2)}
          </pre>
        </Box>
      ))}
    </Box>
  );
};

export const AuditShow = () => {
  const translate = useTranslate();
  return (
    <Show actions={false}>
      <SimpleShowLayout>
        <TextField source="seq" />
        <DateField source="at" showTime />
        <TextField source="userEmail" />
        <TextField source="role" />
        <TextField source="requestId" />
        <TextField source="resource" />
        <TextField source="resourceId" />
        <TextField source="operation" />
        <Labeled label={translate("ordo.audit.change")}>
          <FunctionField render={(r: Row) => <AuditChange before={r.before} after={r.after} />} />
        </Labeled>
        <Decision />
        <TextField source="hash" />
      </SimpleShowLayout>
    </Show>
  );
};
