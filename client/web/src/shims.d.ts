// unicount ships JavaScript without type declarations.
declare module "unicount" {
  export function strPosToUni(s: string, strOffset?: number): number;
  export function uniToStrPos(s: string, uniOffset: number): number;
}
