export default { fetch: () => new Response("reference-worker: in development") };
