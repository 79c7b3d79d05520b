/** Loads the plugins listed in the configuration, in order; unknown names and name clashes stop the start. */
import { createRegistry, type Plugin, type Registry } from "../rules/index";
import { availablePlugins } from "../plugins/index";

export function loadPlugins(
  names: readonly string[],
  extra: readonly Plugin[] = [],
): { plugins: Plugin[]; registry: Registry } {
  const known = new Map<string, Plugin>([...availablePlugins, ...extra].map((p) => [p.name, p]));
  const plugins = names.map((name) => {
    const plugin = known.get(name);
    if (!plugin)
      throw new Error(`Unknown plugin "${name}" in ORDO_PLUGINS (available: ${[...known.keys()].join(", ")})`);
    return plugin;
  });
  return { plugins, registry: createRegistry(plugins) };
}
