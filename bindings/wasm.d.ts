// esbuild's `binary` loader: importing a .wasm file gives its bytes (scripts/build.js).
declare module '*.wasm' {
  const bytes: Uint8Array<ArrayBuffer>;
  export default bytes;
}
