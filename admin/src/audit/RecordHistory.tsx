import { Box, Collapse, IconButton, Table, TableBody, TableCell, TableHead, TableRow, Typography } from "@mui/material";
import ExpandMoreIcon from "@mui/icons-material/ExpandMore";
import { Fragment, useState } from "react";
import { Link, Loading, useGetList, useRecordContext, useTranslate } from "react-admin";
import { AuditChange } from "./AuditChange";

type Row = Record<string, any>;

/** A record's audit entries, newest first, each with its change (and its decision, linked). */
export const RecordHistory = ({ resource, id }: { resource: string; id?: string }) => {
  const record = useRecordContext<Row>();
  const recordId = id ?? (record?.id === undefined ? undefined : String(record.id));
  const translate = useTranslate();
  const [open, setOpen] = useState<string | null>(null);
  const { data, isPending, error } = useGetList(
    "audit",
    {
      filter: { resource, resourceId: recordId ?? "" },
      sort: { field: "seq", order: "DESC" },
      pagination: { page: 1, perPage: 100 },
    },
    { enabled: !!recordId },
  );
  if (isPending) return <Loading />;
  if (error) return <Typography color="text.secondary">{translate("ordo.audit.unavailable")}</Typography>;
  if (!data?.length) return <Typography color="text.secondary">{translate("ordo.common.none")}</Typography>;
  return (
    <Table size="small" data-testid="record-history">
      <TableHead>
        <TableRow>
          <TableCell />
          <TableCell>{translate("resources.audit.fields.at")}</TableCell>
          <TableCell>{translate("resources.audit.fields.userEmail")}</TableCell>
          <TableCell>{translate("resources.audit.fields.operation")}</TableCell>
          <TableCell>{translate("ordo.audit.decision")}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {data.map((e) => (
          <Fragment key={e.id}>
            <TableRow>
              <TableCell padding="checkbox">
                <IconButton size="small" onClick={() => setOpen(open === e.id ? null : String(e.id))}>
                  <ExpandMoreIcon fontSize="small" />
                </IconButton>
              </TableCell>
              <TableCell>
                <Link to={`/audit/${e.id}/show`}>{new Date(e.at).toLocaleString()}</Link>
              </TableCell>
              <TableCell>
                {e.userEmail ?? translate("ordo.audit.system")} ({e.role})
              </TableCell>
              <TableCell>{e.operation}</TableCell>
              <TableCell>
                {e.decisionId ? <Link to={`/audit/${e.id}/show`}>{translate("ordo.audit.why")}</Link> : ""}
              </TableCell>
            </TableRow>
            <TableRow>
              <TableCell colSpan={5} sx={{ py: 0, border: open === e.id ? undefined : 0 }}>
                <Collapse in={open === e.id} unmountOnExit>
                  <Box sx={{ my: 1 }}>
                    <AuditChange before={e.before} after={e.after} />
                  </Box>
                </Collapse>
              </TableCell>
            </TableRow>
          </Fragment>
        ))}
      </TableBody>
    </Table>
  );
};
