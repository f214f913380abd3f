// category: network
// expect: error SYNTAX_ERROR
import net from "node:net";
return typeof net;
