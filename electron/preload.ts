// Runs in the sandboxed, context-isolated preload. Exposes exactly one object, `window.hearingDesk`, built by
// buildBridgeApi: the contract's calls and events, nothing else. ipcRenderer itself never reaches the page,
// and the listener the page passes never sees the IPC event object (which carries `sender`).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { BRIDGE_GLOBAL, IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type WireResult } from '../shared/contract';
import { buildBridgeApi } from './preload-api';

const api = buildBridgeApi(
  (name, payload) => ipcRenderer.invoke(IPC_CALL_CHANNEL, name, payload) as Promise<WireResult<unknown>>,
  (listener) => {
    const forward = (_event: IpcRendererEvent, name: string, payload: unknown) => listener(name, payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward);
    };
  },
);

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, api);
