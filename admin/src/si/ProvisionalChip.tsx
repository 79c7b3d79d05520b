import { Chip } from "@mui/material";
import { useTranslate } from "react-admin";

/** 暂估 / Provisional: priced past the last published period, at the values of the period it carried from. */
export const ProvisionalChip = ({ carriedFrom }: { carriedFrom?: string | null }) => {
  const translate = useTranslate();
  const label = translate("ordo.si.provisional");
  return (
    <Chip
      size="small"
      color="warning"
      variant="outlined"
      data-testid="provisional"
      label={carriedFrom ? `${label} · ${translate("ordo.si.carried_from", { period: carriedFrom })}` : label}
    />
  );
};
