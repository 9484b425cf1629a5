/**
 * `highs` in the page: the same HiGHS build, instantiated from the WebAssembly bytes the page hands over
 * (a file:// page cannot fetch highs.wasm; the site ships it as a script, loaded only when an LP is solved).
 * This Emscripten build takes the bytes through its `instantiateWasm` hook.
 */
import realLoader from "highs-original";
import { requestAsset } from "../rpc";

type Settings = Record<string, unknown>;
type Receive = (instance: WebAssembly.Instance, module?: WebAssembly.Module) => void;

export default async function highsLoader(settings: Settings = {}) {
  const bytes = await requestAsset("highs.wasm");
  const instantiateWasm = (imports: WebAssembly.Imports, receive: Receive) => {
    WebAssembly.instantiate(bytes as unknown as ArrayBuffer, imports).then((r) => receive(r.instance, r.module), (e) => { throw e; });
    return {};
  };
  return realLoader({ ...settings, instantiateWasm, locateFile: (f: string) => f } as Parameters<typeof realLoader>[0]);
}
