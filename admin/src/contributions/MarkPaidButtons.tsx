import PaidIcon from "@mui/icons-material/Paid";
import { useState } from "react";
import {
  Button,
  useListContext,
  useRecordContext,
  useRefresh,
  useResourceContext,
  useTranslate,
  useUnselectAll,
} from "react-admin";
import { PayDialog } from "./PayDialog";

/** 标记已缴 for the rows selected in the list. */
export const MarkPaidBulkButton = () => {
  const translate = useTranslate();
  const { selectedIds } = useListContext();
  const resource = useResourceContext();
  const unselectAll = useUnselectAll(resource ?? "contributions");
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button label={translate("ordo.payments.mark_paid")} onClick={() => setOpen(true)} data-testid="bulk-mark-paid">
        <PaidIcon />
      </Button>
      <PayDialog
        open={open}
        ids={(selectedIds ?? []).map(String)}
        onClose={() => setOpen(false)}
        onPaid={() => {
          setOpen(false);
          unselectAll();
          refresh();
        }}
      />
    </>
  );
};

/** 标记已缴 on one row that is not paid yet. */
export const MarkPaidRowButton = () => {
  const translate = useTranslate();
  const record = useRecordContext<{ id: string; status?: string }>();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  if (!record || record.status === "paid") return null;
  return (
    <>
      <Button
        label={translate("ordo.payments.mark_paid")}
        onClick={(e) => {
          e.stopPropagation();
          setOpen(true);
        }}
        data-testid="row-mark-paid"
      >
        <PaidIcon />
      </Button>
      <PayDialog
        open={open}
        ids={[String(record.id)]}
        onClose={() => setOpen(false)}
        onPaid={() => {
          setOpen(false);
          refresh();
        }}
      />
    </>
  );
};
