// The names Go's generated String() gives the etcd enums etcdctl prints, by number.
import { enumNames } from "../../client/index.js";

export const EVENT_TYPES = enumNames("mvccpb.Event.EventType");
export const ALARM_TYPES = enumNames("etcdserverpb.AlarmType");
export const PERM_TYPES = enumNames("authpb.Permission.Type");
