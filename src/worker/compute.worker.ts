/// <reference lib="webworker" />
import { computeApi } from '../pipeline/project/parallel.ts';
import { exposeApi, type Endpoint } from './rpc.ts';

exposeApi(computeApi, self as unknown as Endpoint);
