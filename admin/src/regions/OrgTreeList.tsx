import { List, ListItemButton, ListItemText } from "@mui/material";
import { useLocaleState, useTranslate } from "react-admin";
import type { OrgNode } from "./types";

/** The org tree, indented by depth; picking a unit shows its cities. */
export const OrgTreeList = ({
  roots,
  selected,
  onSelect,
}: {
  roots: OrgNode[];
  selected: string | null;
  onSelect: (id: string) => void;
}) => {
  const [locale] = useLocaleState();
  const translate = useTranslate();
  const rows: { node: OrgNode; depth: number }[] = [];
  const walk = (n: OrgNode, depth: number) => {
    rows.push({ node: n, depth });
    for (const c of n.children) walk(c, depth + 1);
  };
  for (const r of roots) walk(r, 0);
  return (
    <List dense data-testid="org-tree">
      {rows.map(({ node, depth }) => (
        <ListItemButton
          key={node.id}
          selected={node.id === selected}
          onClick={() => onSelect(node.id)}
          sx={{ pl: 1 + depth * 2 }}
          data-testid={`org-unit-${node.type}`}
        >
          <ListItemText
            primary={node.name}
            secondary={`${translate(`ordo.regions.types.${node.type}`, { _: node.type })} · ${
              locale.startsWith("zh") ? node.cityZh : node.cityEn
            }`}
            slotProps={{ primary: { sx: { fontWeight: node.type === "region" ? 600 : 400 } } }}
          />
        </ListItemButton>
      ))}
    </List>
  );
};
