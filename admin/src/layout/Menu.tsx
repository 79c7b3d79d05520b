import AccountBalanceIcon from "@mui/icons-material/AccountBalance";
import CalculateIcon from "@mui/icons-material/Calculate";
import ElderlyIcon from "@mui/icons-material/Elderly";
import HistoryIcon from "@mui/icons-material/History";
import InboxIcon from "@mui/icons-material/Inbox";
import SettingsInputAntennaIcon from "@mui/icons-material/SettingsInputAntenna";
import PlaylistPlayIcon from "@mui/icons-material/PlaylistPlay";
import UploadFileIcon from "@mui/icons-material/UploadFile";
import AccountTreeIcon from "@mui/icons-material/AccountTree";
import WidgetsIcon from "@mui/icons-material/Widgets";
import SwapVertIcon from "@mui/icons-material/SwapVert";
import { Menu as RaMenu, useTranslate } from "react-admin";
import { useSession } from "../api/useSession";
import { UnreadBadge } from "../self-service/Inbox";

export const Menu = () => {
  const { entities } = useSession();
  const translate = useTranslate();
  return (
    <RaMenu>
      <RaMenu.DashboardItem />
      {(entities ?? []).map((e) => (
        <RaMenu.ResourceItem key={e.name} name={e.name} />
      ))}
      <RaMenu.ResourceItem name="rule-sets" />
      <RaMenu.ResourceItem name="policy-tables" />
      <RaMenu.ResourceItem name="reports" />
      <RaMenu.ResourceItem name="reminder-templates" />
      <RaMenu.ResourceItem name="audit" />
      <RaMenu.Item
        to="/si/contributions"
        primaryText={translate("ordo.menu.contributions")}
        leftIcon={<CalculateIcon />}
      />
      <RaMenu.Item to="/si/back-payment" primaryText={translate("ordo.menu.back_payment")} leftIcon={<HistoryIcon />} />
      <RaMenu.Item to="/si/pension" primaryText={translate("ordo.menu.pension")} leftIcon={<ElderlyIcon />} />
      <RaMenu.Item
        to="/monthly-runs"
        primaryText={translate("ordo.menu.monthly_run")}
        leftIcon={<PlaylistPlayIcon />}
      />
      <RaMenu.Item to="/batch-upload" primaryText={translate("ordo.menu.batch_upload")} leftIcon={<UploadFileIcon />} />
      <RaMenu.Item
        to="/payment-imports"
        primaryText={translate("ordo.menu.payment_import")}
        leftIcon={<UploadFileIcon />}
      />
      <RaMenu.Item to="/regions" primaryText={translate("ordo.menu.regions")} leftIcon={<AccountTreeIcon />} />
      <RaMenu.Item to="/packs" primaryText={translate("ordo.menu.packs")} leftIcon={<WidgetsIcon />} />
      <RaMenu.Item to="/bureau-files" primaryText={translate("ordo.menu.bureau_files")} leftIcon={<SwapVertIcon />} />
      <RaMenu.Item
        to="/inbox"
        primaryText={translate("ordo.menu.inbox")}
        leftIcon={
          <UnreadBadge>
            <InboxIcon />
          </UnreadBadge>
        }
      />
      <RaMenu.Item
        to="/channels"
        primaryText={translate("ordo.menu.channels")}
        leftIcon={<SettingsInputAntennaIcon />}
      />
    </RaMenu>
  );
};

export const SelfServiceMenu = () => {
  const translate = useTranslate();
  return (
    <RaMenu>
      <RaMenu.Item to="/" primaryText={translate("ordo.menu.my_summary")} leftIcon={<AccountBalanceIcon />} />
      <RaMenu.Item
        to="/inbox"
        primaryText={translate("ordo.menu.inbox")}
        leftIcon={
          <UnreadBadge>
            <InboxIcon />
          </UnreadBadge>
        }
      />
    </RaMenu>
  );
};
