import { ListObjectsV2Command, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';

// Paginated listings, as async iterables. They throw the SDK's error as is: each caller wraps it in its own codes.

/** One current object, as ListObjectsV2 gives it. */
export interface ListedObject {
  readonly key: string;
  readonly size: number;
  readonly modifiedAt: Date;
}

/** One version or delete marker, as ListObjectVersions gives it. */
export interface ListedVersion {
  readonly key: string;
  readonly versionId: string | undefined;
  readonly size: number;
  readonly deleteMarker: boolean;
}

/** Current objects under `prefix`, in ascending UTF-8 key order (ListObjectsV2), a page of up to 1,000 at a time. */
export async function* listObjects(
  client: S3Client,
  bucket: string,
  prefix: string,
): AsyncIterable<ListedObject> {
  let ContinuationToken: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        ...(ContinuationToken === undefined ? {} : { ContinuationToken }),
      }),
    );
    for (const object of page.Contents ?? []) {
      if (object.Key === undefined) continue;
      yield { key: object.Key, size: object.Size ?? 0, modifiedAt: object.LastModified ?? new Date(0) };
    }
    ContinuationToken = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (ContinuationToken !== undefined);
}

/** Every version and delete marker under `prefix`, a page at a time. */
export async function* listObjectVersions(
  client: S3Client,
  bucket: string,
  prefix: string,
): AsyncIterable<ListedVersion> {
  let KeyMarker: string | undefined;
  let VersionIdMarker: string | undefined;
  do {
    const page = await client.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        Prefix: prefix,
        ...(KeyMarker === undefined ? {} : { KeyMarker }),
        ...(VersionIdMarker === undefined ? {} : { VersionIdMarker }),
      }),
    );
    for (const version of page.Versions ?? []) {
      if (version.Key === undefined) continue;
      yield { key: version.Key, versionId: version.VersionId, size: version.Size ?? 0, deleteMarker: false };
    }
    for (const marker of page.DeleteMarkers ?? []) {
      if (marker.Key === undefined) continue;
      yield { key: marker.Key, versionId: marker.VersionId, size: 0, deleteMarker: true };
    }
    KeyMarker = page.IsTruncated === true ? page.NextKeyMarker : undefined;
    VersionIdMarker = page.IsTruncated === true ? page.NextVersionIdMarker : undefined;
  } while (KeyMarker !== undefined);
}
