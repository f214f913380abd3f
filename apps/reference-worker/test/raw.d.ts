// Vite's `?raw` imports: a file's text (the order-to-cash example program).
declare module "*?raw" {
  const text: string;
  export default text;
}
