using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;

namespace AiGateway.Extensions.AI.Management;

/// <summary>Walks a paged Cloudflare list (<c>page</c>, <c>per_page</c>, <c>result_info.total_count</c>).</summary>
internal static class Paged
{
    public static async IAsyncEnumerable<T> ListAsync<T>(
        CloudflareApiTransport api, string path, string query, int perPage, JsonTypeInfo<List<T>> type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        int seen = 0;
        for (int page = 1; ; page++)
        {
            string separator = query.Length == 0 ? string.Empty : "&";
            var (items, total) = await api.SendPageAsync(
                string.Create(CultureInfo.InvariantCulture, $"{path}?{query}{separator}page={page}&per_page={perPage}"), type, cancellationToken).ConfigureAwait(false);
            foreach (var item in items)
            {
                yield return item;
            }

            seen += items.Count;
            if (items.Count == 0 || seen >= total)
            {
                yield break;
            }
        }
    }
}
