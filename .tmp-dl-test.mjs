import dynalite from "dynalite";
import { DynamoDBClient, ListTablesCommand, CreateTableCommand } from "@aws-sdk/client-dynamodb";
const dir = "/tmp/dl/data"; 
const a = dynalite({ path: dir, createTableMs: 0 });
await new Promise(r => a.listen(0, "127.0.0.1", r));
const ca = new DynamoDBClient({ region: "us-east-1", endpoint: `http://127.0.0.1:${a.address().port}`, credentials: { accessKeyId: "x", secretAccessKey: "x" } });
console.log(await ca.send(new ListTablesCommand({})));
const b = dynalite({ path: dir, createTableMs: 0 });
b.on("error", e => console.log("b error event", e));
process.on("uncaughtException", e => console.log("uncaught", e.code, e.message));
await new Promise(r => b.listen(0, "127.0.0.1", r));
const cb = new DynamoDBClient({ region: "us-east-1", maxAttempts: 1, endpoint: `http://127.0.0.1:${b.address().port}`, credentials: { accessKeyId: "x", secretAccessKey: "x" } });
try { console.log(await cb.send(new ListTablesCommand({}))); } catch (e) { console.log("b list err", e.name, e.message, e.code); }
try { console.log(await cb.send(new CreateTableCommand({TableName:"t", AttributeDefinitions:[{AttributeName:"k",AttributeType:"S"}], KeySchema:[{AttributeName:"k",KeyType:"HASH"}], BillingMode:"PAY_PER_REQUEST"}))); } catch (e) { console.log("b create err", e.name, e.message); }
await new Promise(r => b.close(r));
await new Promise(r => a.close(r));
console.log("done");
