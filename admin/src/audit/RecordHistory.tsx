import { Box, Collapse, IconButton, Table, TableBody, TableCell, TableHead, TableRow, Typography } from "@mui/material";
import ExpandMoreIcon from "@mui/icons-material/ExpandMore";
import { Fragment, useState } from "react";
import { Loading, useGetList, useRecordContext, useTranslate } from "react-admin";
import { AuditChange } from "./AuditChange";

type Row = Record<string, any>;

/** A record's audit entries, newest first, each with its change (and its decision, linked). */
export const RecordHistory = ({ resource }: { resource: string }) => {
  const record = useRecordContext<Row>();
  const translate = useTranslate();
  const [open, setOpen] = useState<string | null>(null);
  const { data, isPending, error } = useGetList(
    "audit",
    {
      filter: { resource, resourceId: String(record?.id ?? "") },
      sort: { field: "seq", order: "DESC" },
      pagination: { page: 1, perPage: 100 },
    },
    { enabled: !!record?.id },
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
                <a href={`#/audit/${e.id}/show`}>{new Date(e.at).toLocaleString()}</a>
              </TableCell>
              <TableCell>
                {e.userEmail ?? translate("ordo.audit.system")} ({e.role})
              </TableCell>
              <TableCell>{e.operation}</TableCell>
              <TableCell>
                {e.decisionId ? <a href={`#/audit/${e.id}/show`}>{translate("ordo.audit.why")}</a> : ""}
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
