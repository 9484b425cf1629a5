/** `module` in the page: createRequire gives the cells' own `require` (the page's module table). */
import { requireModule } from "../modules";

export const createRequire = (_from: string | URL) => requireModule;
export const builtinModules: string[] = [];
export default { createRequire, builtinModules };
